package dev.lamplighter.worker.internal.singleton;

import dev.lamplighter.worker.internal.LoopErrors;
import dev.lamplighter.worker.internal.config.Durations;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One singleton on one node: acquires its lease when free, renews it, runs the service on a thread
 * of its own while the node leads, restarts it with a backoff when it throws, interrupts it when
 * the lease is lost, and releases the lease when the node closes. {@link #turn()} does one step;
 * the {@link SingletonSupervisor} calls it from its loop, tests call it directly.
 */
final class SingletonRunner {

    private static final Logger log = LoggerFactory.getLogger(SingletonRunner.class);

    /** A run at least this long (and longer than the backoff's cap) starts the doubling again. */
    static final Duration HEALTHY_RUN = Duration.ofSeconds(1);

    private final Registration registration;
    private final SingletonStore store;
    private final Runnable wake;
    private final Duration lease;
    private final AtomicReference<Exit> exit = new AtomicReference<>();

    private Leadership leadership;
    private Thread thread;
    private int consecutive;
    private boolean restartPending;
    private long restartAtNanos;
    private boolean closing;
    private boolean stuckReported;

    /** How a run of the service ended: {@code failure} null when it returned. */
    private record Exit(Leadership leadership, Throwable failure, long ranNanos) {
    }

    SingletonRunner(Registration registration, SingletonStore store, Runnable wake) {
        this.registration = registration;
        this.store = store;
        this.wake = wake;
        this.lease = registration.options().lease();
    }

    String name() {
        return registration.name();
    }

    /** Renew (or try to acquire) every lease/3. */
    Duration period() {
        return lease.dividedBy(3);
    }

    /** The current leadership on this node, or null. */
    synchronized Leadership leadership() {
        return leadership;
    }

    /** One step: acquire when not held; else note how the service ended, renew, restart when due. */
    synchronized void turn() {
        if (closing) {
            return;
        }
        if (leadership == null) {
            tryAcquire();
            return;
        }
        handleExit();
        long sent = System.nanoTime();
        boolean renewed;
        try {
            renewed = store.renew(name(), leadership.fencingToken(), lease);
        } catch (RuntimeException e) {
            if (leadership.expiredLocally()) {
                lose("its lease ran out while the database could not be reached (" + LoopErrors.describe(e) + ")");
            }
            throw e;
        }
        if (!renewed) {
            lose(whyLost());
            return;
        }
        leadership.renewed(sent, lease);
        if (restartPending && System.nanoTime() - restartAtNanos >= 0) {
            startService();
        }
    }

    /** How long the supervisor may wait before this runner needs its next turn. */
    synchronized long nanosToNextTurn() {
        long next = period().toNanos();
        if (leadership != null) {
            next = Math.min(next, Math.max(0, leadership.nanosToDeadline()));
            if (restartPending) {
                next = Math.min(next, Math.max(0, restartAtNanos - System.nanoTime()));
            }
            if (exit.get() != null) {
                next = 0;
            }
        }
        return next;
    }

    private void tryAcquire() {
        if (thread != null && thread.isAlive()) {
            if (!stuckReported) {
                stuckReported = true;
                log.warn("Singleton '{}' on node {}: the service of its former leadership still runs after its interrupt; "
                        + "the node does not try to lead again until it ends", name(), store.nodeId());
            }
            return;
        }
        thread = null;
        stuckReported = false;
        long sent = System.nanoTime();
        Optional<Long> token = store.acquire(name(), lease);
        if (token.isEmpty()) {
            return;
        }
        leadership = new Leadership(name(), token.get(), store, sent, lease);
        consecutive = 0;
        exit.set(null);
        log.info("Singleton '{}' acquired by node {} (token {}, lease {})", name(), store.nodeId(), token.get(),
                Durations.human(lease));
        startService();
    }

    private void startService() {
        restartPending = false;
        Leadership current = leadership;
        thread = new Thread(() -> {
            long started = System.nanoTime();
            Throwable failure = null;
            try {
                registration.service().run(current);
            } catch (Throwable e) {
                failure = e;
            } finally {
                exit.set(new Exit(current, failure, System.nanoTime() - started));
                wake.run();
            }
        }, "lamplighter-singleton-" + name());
        thread.setDaemon(true);
        thread.start();
    }

    /** A run that ended while the node still leads is started again after the backoff. */
    private void handleExit() {
        Exit ended = exit.getAndSet(null);
        if (ended == null || ended.leadership() != leadership || leadership.ended()) {
            return;
        }
        Duration max = registration.options().maxRestartBackoff();
        if (ended.ranNanos() > Math.max(max.toNanos(), HEALTHY_RUN.toNanos())) {
            consecutive = 0;   // it ran a good while: start the doubling again
        }
        consecutive++;
        Duration delay = backoff(registration.options().restartBackoff(), max, consecutive);
        restartPending = true;
        restartAtNanos = System.nanoTime() + delay.toNanos();
        Throwable failure = ended.failure();
        if (failure == null) {
            log.info("Singleton '{}' on node {} (token {}): the service returned while the node still leads; restart {} in {}",
                    name(), store.nodeId(), leadership.fencingToken(), consecutive, Durations.human(delay));
            return;
        }
        String error = LoopErrors.describe(failure);
        try {
            store.recordFailure(name(), leadership.fencingToken(), error);
        } catch (RuntimeException e) {
            log.debug("Could not record the failure of singleton '{}': {}", name(), e.getMessage());
        }
        if (consecutive == 1) {
            log.warn("Singleton '{}' on node {} (token {}) failed: {}; restart {} in {}", name(), store.nodeId(),
                    leadership.fencingToken(), error, consecutive, Durations.human(delay), failure);
        } else {
            log.warn("Singleton '{}' on node {} (token {}) failed again: {}; restart {} in {}", name(), store.nodeId(),
                    leadership.fencingToken(), error, consecutive, Durations.human(delay));
        }
    }

    /** {@code base × 2^(failures − 1)}, at most {@code max}; no jitter (one service, no herd to spread). */
    static Duration backoff(Duration base, Duration max, int failures) {
        int shift = Math.min(Math.max(failures, 1) - 1, 30);
        long ms = base.toMillis() > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : base.toMillis() << shift;
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }

    private String whyLost() {
        try {
            return store.holder(name())
                    .map(h -> h.owner() == null ? "the lease was released by someone else"
                            : h.owner().equals(store.nodeId()) && h.token() == leadership.fencingToken()
                            ? "the lease ran out at " + h.leaseUntil() + " before it was renewed"
                            : "node " + h.owner() + " took it over with token " + h.token())
                    .orElse("its row is gone");
        } catch (RuntimeException e) {
            return "the lease could not be renewed";
        }
    }

    private void lose(String why) {
        Leadership lost = leadership;
        leadership = null;
        restartPending = false;
        lost.end("the lease was lost: " + why);
        if (thread != null) {
            thread.interrupt();
        }
        log.warn("Singleton '{}' lost by node {} (token {}): {}; its service is interrupted", name(), store.nodeId(),
                lost.fencingToken(), why);
    }

    /** Closing, first step: no more turns; ends the leadership and interrupts the service. */
    synchronized Leadership beginStop() {
        closing = true;
        Leadership held = leadership;
        if (held != null) {
            held.end("the node is closing");
        }
        if (thread != null) {
            thread.interrupt();
        }
        return held;
    }

    /**
     * Closing, second step: waits for the service until {@code deadlineNanos}, then releases the
     * lease at once if it ended; a service still running keeps the lease until it runs out, so that
     * the next leader does not start beside it.
     */
    void finishStop(Leadership held, long deadlineNanos) {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                long left = deadlineNanos - System.nanoTime();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(t, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (held == null) {
            return;
        }
        synchronized (this) {
            leadership = null;
        }
        if (t != null && t.isAlive()) {
            log.warn("Singleton '{}' on node {} (token {}): the service did not end within {} of its interrupt; its lease "
                    + "is left to run out rather than released, so that the next leader does not start beside it",
                    name(), store.nodeId(), held.fencingToken(), Durations.human(registration.options().stopGrace()));
            return;
        }
        try {
            if (store.release(name(), held.fencingToken())) {
                log.info("Singleton '{}' released by node {} (token {})", name(), store.nodeId(), held.fencingToken());
            }
        } catch (RuntimeException e) {
            log.warn("Could not release singleton '{}' (node {}, token {}); another node takes it when the lease runs out: {}",
                    name(), store.nodeId(), held.fencingToken(), LoopErrors.describe(e));
        }
    }

    Duration grace() {
        return registration.options().stopGrace();
    }

    /** Whether this node's service of the singleton runs now (for tests and health). */
    synchronized boolean serviceRunning() {
        return thread != null && thread.isAlive();
    }
}
