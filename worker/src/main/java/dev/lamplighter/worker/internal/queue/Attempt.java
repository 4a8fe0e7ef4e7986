package dev.lamplighter.worker.internal.queue;

import dev.lamplighter.worker.internal.config.Durations;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One claimed attempt of a job on this node, from claim to recorded outcome. Its state decides
 * who may write the outcome, so that the handler's thread and the timeout watchdog never both do:
 *
 * <pre>
 * CLAIMED -> RUNNING -> RECORDING -> DONE                  the handler returned in time
 *            RUNNING -> TIMED_OUT -> RECORDING -> DONE     it returned after the interrupt
 *                       TIMED_OUT -> ABANDONED -> DONE     it ignored the interrupt: the watchdog
 *                                                          records the timeout, frees the slot
 * </pre>
 *
 * <p>The lease is extended by the heartbeat only while the handler runs within its time limit
 * ({@link #wantsLease(long)}); once the handler returned, the outcome write retries until the lease
 * it holds runs out ({@link #leaseExpiresAtNanos()}), then leaves the job to the rescuer.
 * Thread-safe; times are this JVM's elapsed time ({@link System#nanoTime()}), never "now".
 */
final class Attempt {

    enum State { CLAIMED, RUNNING, TIMED_OUT, RECORDING, ABANDONED, DONE }

    /** Where an attempt's time limit came from, as the error message names it. */
    enum TimeoutSource {
        JOB("job timeout"), HANDLER("handler timeout"), NODE("node default LAMPLIGHTER_JOB_TIMEOUT");

        private final String label;

        TimeoutSource(String label) {
            this.label = label;
        }
    }

    private final ClaimedJob job;
    private final Duration timeout;
    private final TimeoutSource timeoutSource;
    private final Runnable releaseSlot;
    private final AtomicBoolean slotReleased = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private State state = State.CLAIMED;
    private Thread thread;
    private long startedNanos;
    private volatile long leaseExpiresAtNanos;

    Attempt(ClaimedJob job, Duration timeout, TimeoutSource timeoutSource, long leaseExpiresAtNanos, Runnable releaseSlot) {
        this.job = job;
        this.timeout = timeout;
        this.timeoutSource = timeoutSource;
        this.leaseExpiresAtNanos = leaseExpiresAtNanos;
        this.releaseSlot = releaseSlot;
    }

    ClaimedJob job() {
        return job;
    }

    Duration timeout() {
        return timeout;
    }

    /** "timed out after 30s (job timeout)". */
    String timeoutMessage() {
        return "timed out after " + Durations.human(timeout) + " (" + timeoutSource.label + ")";
    }

    /** The handler starts on the calling thread. */
    synchronized void started(long nowNanos) {
        thread = Thread.currentThread();
        startedNanos = nowNanos;
        state = State.RUNNING;
    }

    /**
     * The time limit passed: interrupts the handler if it still runs.
     *
     * @return true if it was running (and is now TIMED_OUT)
     */
    synchronized boolean timeOut() {
        if (state != State.RUNNING) {
            return false;
        }
        state = State.TIMED_OUT;
        thread.interrupt();
        return true;
    }

    /**
     * The grace period after the interrupt passed: the handler still has not returned.
     *
     * @return true if the caller now owns the outcome (the thread is abandoned)
     */
    synchronized boolean abandon() {
        if (state != State.TIMED_OUT) {
            return false;
        }
        state = State.ABANDONED;
        return true;
    }

    /**
     * The handler returned (or threw). Returns the state it found: RUNNING (record the handler's
     * outcome), TIMED_OUT (record the timeout), or ABANDONED (the watchdog already did). The
     * caller owns the outcome write in the first two cases. Clears this thread's interrupt, which
     * the watchdog may have set, so that the writes that follow are not disturbed.
     */
    State handlerReturned() {
        State found;
        synchronized (this) {
            found = state;
            if (state == State.RUNNING || state == State.TIMED_OUT) {
                state = State.RECORDING;
            }
            thread = null;
        }
        Thread.interrupted();
        return found;
    }

    /** Whether the heartbeat should extend this attempt's lease: claimed, or running within its time limit. */
    synchronized boolean wantsLease(long nowNanos) {
        return state == State.CLAIMED || (state == State.RUNNING && nowNanos - startedNanos < timeout.toNanos());
    }

    /** Whether the handler has not started yet (a prefetched attempt). */
    synchronized boolean unstarted() {
        return state == State.CLAIMED;
    }

    /** Whether this attempt's outcome is not yet recorded or given up (shutdown releases these). */
    synchronized boolean unfinished() {
        return state != State.DONE && state != State.ABANDONED;
    }

    /** The heartbeat extended the lease; it runs until {@code expiresAtNanos}. */
    void leaseExtended(long expiresAtNanos) {
        leaseExpiresAtNanos = expiresAtNanos;
    }

    long leaseExpiresAtNanos() {
        return leaseExpiresAtNanos;
    }

    /** The outcome is recorded (or left to the rescuer): frees the worker slot. Idempotent. */
    void finish() {
        synchronized (this) {
            if (state != State.ABANDONED) {
                state = State.DONE;
            }
        }
        freeSlot();
        done.complete(null);
    }

    /**
     * Frees the worker slot before the outcome is recorded: the outcome waits for the next batched
     * write, and the thread may take the next job meanwhile. Idempotent.
     */
    void freeSlot() {
        if (slotReleased.compareAndSet(false, true)) {
            releaseSlot.run();
        }
    }

    /** A prefetched attempt that never started went back to the queue: done, without a slot to free. */
    void releasedUnstarted() {
        slotReleased.set(true);
        finish();
    }

    /** Completes when the outcome is recorded or given up, not when an abandoned thread returns. */
    CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public String toString() {
        return "job " + job.jobId() + " (" + job.jobType() + ") attempt " + job.attempt();
    }
}
