package dev.lamplighter.chaos.skew;

import dev.lamplighter.Decision;
import dev.lamplighter.JobHandler;
import dev.lamplighter.conditions.Conditions;
import dev.lamplighter.chaos.racing.Machine;
import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.internal.db.Database;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.jdbi.v3.core.Jdbi;

/**
 * One node of the clock-skew test in a JVM of its own, on the production path (no injected clock),
 * whose wall clock the test may move with libfaketime. Settings from the {@code LAMPLIGHTER_*}
 * environment. It declares:
 * <ul>
 *   <li>the launcher {@value #LAUNCHER}, which launches at every check (the test inserts interval
 *       schedules of it);</li>
 *   <li>a handler for {@code chaos_skew_<node id>}, a job type only this node runs (so that the
 *       test knows which node ran what: the schedules' jobs, and jobs held for the payload's
 *       {@code hold_ms}); each execution is recorded in {@code public.chaos_skew_runs} with what the
 *       job's row says at that moment (its lease as stored, the server's {@code now()});</li>
 *   <li>a singleton {@code chaos-skew-<node id>}, held by this node alone.</li>
 * </ul>
 * At start it records its JVM clock against the server's in {@code public.chaos_skew_clocks} and
 * prints it ({@code skew-clock <node> jvm=<ms> db=<ms> offset=<ms>}); each execution records as well
 * its wall clock and the {@code System.nanoTime} milliseconds since that first reading, so that the
 * test sees the wall clock stay off and durations stay true. On SIGTERM it stops cleanly.
 */
public final class SkewNode {

    /** The launcher of the test's schedules: every check launches. */
    public static final String LAUNCHER = "chaos.skew.always";
    /** The job type a node runs, and no other: this, then the node's id. */
    public static final String TYPE_PREFIX = "chaos_skew_";
    /** Names of the nodes' singletons start with this, then the node's id. */
    public static final String SINGLETON_PREFIX = "chaos-skew-";

    private static final String RECORD_CLOCK = """
            INSERT INTO public.chaos_skew_clocks (node_id, jvm_ms, db_ms)
            VALUES (:node, :jvmMs, :dbMs)""";

    private static final String RECORD_RUN = """
            INSERT INTO public.chaos_skew_runs (job_id, node_id, attempt, started_at, locked_until, db_now, jvm_ms, mono_ms)
            SELECT j.job_id, :node, :attempt, j.started_at, j.locked_until, now(), :jvmMs, :monoMs
            FROM lamplighter.jobs j
            WHERE j.job_id = :jobId""";

    private SkewNode() {
    }

    /**
     * Runs the node until the process is told to stop.
     *
     * @param args none
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        Machine.quietLogs();
        LamplighterConfig config = LamplighterConfig.fromEnvironment();
        String node = config.nodeId();
        ConnectionInfo info = ConnectionInfo.parse("LAMPLIGHTER_DATABASE_URL", System.getenv("LAMPLIGHTER_DATABASE_URL"));
        Database pool = Database.connect(info, 8, node);
        Jdbi jdbi = pool.jdbi();

        // The JVM's wall clock, read only to show how far off it is: the reading is the midpoint of
        // two, one on each side of the round trip in which the server reads its own.
        long before = System.currentTimeMillis();
        long beforeNanos = System.nanoTime();
        long dbMs = jdbi.withHandle(h -> h.createQuery("SELECT CAST(extract(epoch FROM clock_timestamp()) * 1000 AS bigint)")
                .mapTo(Long.class).one());
        long jvmMs = before + (System.currentTimeMillis() - before) / 2;
        long startNanos = beforeNanos + (System.nanoTime() - beforeNanos) / 2;
        jdbi.useHandle(h -> h.createUpdate(RECORD_CLOCK).bind("node", node).bind("jvmMs", jvmMs).bind("dbMs", dbMs).execute());
        System.out.println("skew-clock " + node + " jvm=" + jvmMs + " db=" + dbMs + " offset=" + (jvmMs - dbMs));
        System.out.flush();

        JobHandler.Work record = ctx -> {
            jdbi.useHandle(h -> h.createUpdate(RECORD_RUN).bind("node", node).bind("attempt", ctx.attempt())
                    .bind("jvmMs", System.currentTimeMillis()).bind("monoMs", (System.nanoTime() - startNanos) / 1_000_000)
                    .bind("jobId", ctx.jobId()).execute());
            Object hold = ctx.payload().get("hold_ms");
            if (hold instanceof Number ms) {
                Thread.sleep(ms.longValue());
            }
            return Map.of("node", node);
        };
        Lamplighter lamplighter = Lamplighter.builder(pool.dataSource()).config(config)
                .launcher(Conditions.launcher(LAUNCHER, ctx -> Decision.launch("the skew test launches every slot")))
                .handler(JobHandler.of(TYPE_PREFIX + node, record))
                .singleton(SINGLETON_PREFIX + node, ctx -> ctx.sleep(Duration.ofHours(1)))
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            lamplighter.close();
            pool.close();
            System.out.println("skew-node-stopped " + node);
            System.out.flush();
            stopped.countDown();
        }, "skew-node-stop"));
        stopped.await();
    }
}
