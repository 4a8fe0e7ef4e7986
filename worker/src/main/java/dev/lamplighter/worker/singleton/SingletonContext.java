package dev.lamplighter.worker.singleton;

import java.time.Duration;

/**
 * One leadership of one singleton on this node: from the acquisition of the lease to its loss or
 * release. Thread-safe; a new context (with a greater fencing token) is given at each acquisition.
 */
public interface SingletonContext {

    /**
     * The singleton's name, as registered.
     *
     * @return the name ({@code lamplighter.singletons.name})
     */
    String name();

    /**
     * The node that holds this leadership.
     *
     * @return the node id ({@code lamplighter.singletons.owner})
     */
    String nodeId();

    /**
     * The fencing token of this leadership: one more than the previous holder's, whichever node
     * that was. Store it with the service's writes and refuse a write whose token is smaller than
     * the one stored, so that a former leader that has not yet noticed its loss cannot overwrite
     * the new leader's work.
     *
     * @return the token ({@code lamplighter.singletons.token} at acquisition), 1 or more
     */
    long fencingToken();

    /**
     * Whether this node still leads as far as it knows, without asking the database: the lease was
     * not found lost at the last renewal, the node is not closing, and the lease, as last renewed,
     * has not run out on this node's monotonic clock. Cheap; use it in loop conditions. Before a
     * step that must not run twice, call {@link #verifyLeadership()}, which asks the database.
     *
     * @return whether this leadership still holds as far as the node knows
     */
    boolean isLeader();

    /**
     * Checks in the database that this node still holds the singleton under this token and that
     * the lease has not run out by the database's clock: the guard to call before a destructive
     * step. Returns when all three hold.
     *
     * @throws LeadershipLostException when another node holds it now, the lease ran out or was
     *         released, the node is closing, or the database cannot be asked (the guard fails closed)
     */
    void verifyLeadership();

    /**
     * Waits for {@code duration}, or less when this leadership ends first (lease lost, node
     * closing).
     *
     * @param duration how long to wait; zero or negative waits not at all
     * @return {@link #isLeader()} after the wait: false means the service should return
     * @throws InterruptedException if the thread is interrupted (which the node does when the
     *         leadership ends)
     */
    boolean sleep(Duration duration) throws InterruptedException;
}
