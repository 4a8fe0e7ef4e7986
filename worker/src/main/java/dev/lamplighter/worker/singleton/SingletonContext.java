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
     * {@link #verifyLeadership()} inside the caller's own transaction, which also holds the
     * singleton's row ({@code SELECT ... FOR SHARE}) until that transaction ends: no other node can
     * take the singleton over before the caller commits or rolls back, so the writes the caller
     * makes in the same transaction after this returns are the leader's, however long the
     * transaction lasts (a takeover waits for it; so does this node's own renewal). The lease is
     * checked as of the start of the caller's transaction. The connection is neither committed nor
     * closed.
     *
     * @param connection a connection of the caller's, not in autocommit, to the database of the node
     * @throws LeadershipLostException as {@link #verifyLeadership()}; the caller should roll back
     * @throws IllegalArgumentException when the connection is in autocommit (the row lock would end
     *         with the statement)
     */
    void verifyLeadership(java.sql.Connection connection);

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
