package dev.lamplighter.worker.singleton;

/**
 * A long-lived loop that must run on exactly one node of the cluster at a time (a feed consumer,
 * a reconciler), registered with {@code Lamplighter.Builder.singleton(name, service)}.
 *
 * <p>The node that holds the singleton's lease (a row of {@code lamplighter.singletons}) calls
 * {@link #run} on a thread of its own. The service runs until it returns, throws, or is
 * interrupted: its thread is interrupted when the lease is lost or the node closes, so it must
 * stop promptly on an interrupt (and leave {@link SingletonContext#sleep} when it returns false).
 * A service that throws (or returns while the node still leads) is started again on the same node
 * after a backoff ({@link SingletonOptions#restartBackoff()}). Before a step that must not run
 * twice, call {@link SingletonContext#verifyLeadership()}, and store
 * {@link SingletonContext#fencingToken()} with the writes so that a late write of a former
 * leader can be refused.
 *
 * <pre>{@code
 * SingletonService consumer = ctx -> {
 *     while (ctx.sleep(Duration.ofSeconds(5))) {
 *         List<Event> batch = feed.poll();
 *         ctx.verifyLeadership();              // throws LeadershipLostException once another node took over
 *         store.apply(batch, ctx.fencingToken());
 *     }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface SingletonService {

    /**
     * Runs the service while this node leads.
     *
     * @param context this leadership: its fencing token, whether it still holds, the guard
     * @throws Exception anything; the service is started again after its backoff while the node leads
     */
    void run(SingletonContext context) throws Exception;
}
