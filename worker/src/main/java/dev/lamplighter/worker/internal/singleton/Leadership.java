package dev.lamplighter.worker.internal.singleton;

import dev.lamplighter.worker.internal.LoopErrors;
import dev.lamplighter.worker.singleton.LeadershipLostException;
import dev.lamplighter.worker.singleton.SingletonContext;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One leadership of one singleton on this node (one fencing token), handed to the service as its
 * {@link SingletonContext}. The local deadline is measured on the monotonic clock from the moment
 * the last successful renewal was sent: a duration, never a point in time written anywhere, and
 * never later than the lease the database granted.
 */
final class Leadership implements SingletonContext {

    private final String name;
    private final long token;
    private final SingletonStore store;
    private final Object monitor = new Object();
    private volatile long deadlineNanos;
    private volatile String endedBecause;

    Leadership(String name, long token, SingletonStore store, long sentAtNanos, Duration lease) {
        this.name = name;
        this.token = token;
        this.store = store;
        this.deadlineNanos = sentAtNanos + lease.toNanos();
    }

    /** The renewal sent at {@code sentAtNanos} succeeded. */
    void renewed(long sentAtNanos, Duration lease) {
        deadlineNanos = sentAtNanos + lease.toNanos();
    }

    boolean expiredLocally() {
        return System.nanoTime() - deadlineNanos >= 0;
    }

    long nanosToDeadline() {
        return deadlineNanos - System.nanoTime();
    }

    /** Ends this leadership (the first reason stays) and wakes the service's {@link #sleep}. */
    void end(String why) {
        synchronized (monitor) {
            if (endedBecause == null) {
                endedBecause = why;
            }
            monitor.notifyAll();
        }
    }

    boolean ended() {
        return endedBecause != null;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String nodeId() {
        return store.nodeId();
    }

    @Override
    public long fencingToken() {
        return token;
    }

    @Override
    public boolean isLeader() {
        return endedBecause == null && !expiredLocally();
    }

    @Override
    public void verifyLeadership() {
        String why = endedBecause;
        if (why != null) {
            throw new LeadershipLostException(prefix() + why);
        }
        Optional<SingletonStore.Holder> found;
        try {
            found = store.holder(name);
        } catch (RuntimeException e) {
            throw new LeadershipLostException(prefix() + "it cannot be confirmed: " + LoopErrors.describe(e), e);
        }
        check(found.orElse(null));
    }

    @Override
    public void verifyLeadership(java.sql.Connection connection) {
        String why = endedBecause;
        if (why != null) {
            throw new LeadershipLostException(prefix() + why);
        }
        Optional<SingletonStore.Holder> found;
        try {
            if (connection.getAutoCommit()) {
                throw new IllegalArgumentException("connection in autocommit is not allowed for verifyLeadership(connection) "
                        + "of singleton '" + name + "': expected a connection in a transaction (setAutoCommit(false)), "
                        + "whose writes the check guards until it commits");
            }
            found = store.holderLocked(connection, name);
        } catch (java.sql.SQLException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new LeadershipLostException(prefix() + "it cannot be confirmed: " + LoopErrors.describe(e), e);
        }
        check(found.orElse(null));
    }

    private void check(SingletonStore.Holder holder) {
        if (holder == null || holder.owner() == null) {
            throw new LeadershipLostException(prefix() + "nobody holds it now (released)");
        }
        if (!holder.owner().equals(store.nodeId()) || holder.token() != token) {
            throw new LeadershipLostException(prefix() + "node " + holder.owner() + " holds it now with token " + holder.token());
        }
        if (!holder.leaseValid()) {
            throw new LeadershipLostException(prefix() + "the lease ran out at " + holder.leaseUntil()
                    + " (database time " + holder.databaseNow() + ")");
        }
    }

    private String prefix() {
        return "Singleton '" + name + "' on node " + store.nodeId() + " (token " + token + ") is no longer led here: ";
    }

    @Override
    public boolean sleep(Duration duration) throws InterruptedException {
        long end = System.nanoTime() + Math.max(0, duration.toNanos());
        synchronized (monitor) {
            while (endedBecause == null) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(monitor, left);
            }
        }
        return isLeader();
    }

    @Override
    public String toString() {
        return "singleton '" + name + "' on node " + store.nodeId() + " (token " + token + ")";
    }
}
