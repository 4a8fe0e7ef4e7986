package dev.lamplighter.worker.internal.queue;

import java.time.Duration;
import java.util.Locale;

/**
 * What the worker pool says at INFO about the jobs it ran, instead of a line per job: at most one
 * line per {@link #DEFAULT_EVERY} while jobs end ("Worker pool on node n1: 48,210 completed, 5 failed
 * or retried in the last 60s (803/s)"), and nothing while the pool is idle.
 *
 * <p>Fed with running totals (jobs completed, attempts ended however they ended) and a time
 * source, so tests drive it without a clock or a database. "Failed or retried" is every ended
 * attempt that did not complete (failed for good, failed and retried later, released at shutdown
 * or taken back with its lease); the totals are sampled apart, so an attempt that completes as a
 * line is cut may move to the next line, never be lost or counted twice. Time here is the JVM's
 * elapsed time (rate limiting only). Not thread-safe: one thread samples it.
 */
public final class WorkerSummary {

    /** The shortest time between two summary lines. */
    public static final Duration DEFAULT_EVERY = Duration.ofMinutes(1);

    private final String nodeId;
    private final long everyNanos;
    private boolean started;
    private long windowStartNanos;
    private long completedAtStart;
    private long otherAtStart;

    /**
     * @param nodeId the node the lines name
     * @param every  the shortest time between two lines; more than zero
     */
    public WorkerSummary(String nodeId, Duration every) {
        if (every == null || every.isZero() || every.isNegative()) {
            throw new IllegalArgumentException("every = " + every + " is not allowed: expected a positive duration");
        }
        this.nodeId = nodeId;
        this.everyNanos = every.toNanos();
    }

    /**
     * Takes a sample of the pool's running totals.
     *
     * @param completedTotal jobs completed since the pool started
     * @param endedTotal     attempts ended since the pool started, however they ended
     * @param nanoTime       the JVM's elapsed time now ({@link System#nanoTime()})
     * @return the line to log at INFO, or null for nothing
     */
    public String sample(long completedTotal, long endedTotal, long nanoTime) {
        long other = Math.max(0, endedTotal - completedTotal);
        if (!started) {
            started = true;
            restart(nanoTime, completedTotal, other);
            return null;
        }
        long elapsed = nanoTime - windowStartNanos;
        if (elapsed < everyNanos) {
            return null;
        }
        long completed = completedTotal - completedAtStart;
        long failedOrRetried = Math.max(0, other - otherAtStart);
        restart(nanoTime, completedTotal, other);
        if (completed == 0 && failedOrRetried == 0) {
            return null;
        }
        double seconds = elapsed / 1e9;
        return String.format(Locale.ROOT, "Worker pool on node %s: %,d completed, %,d failed or retried in the last %ds (%,d/s)",
                nodeId, completed, failedOrRetried, Math.round(seconds), (long) (completed / seconds));
    }

    private void restart(long nanoTime, long completedTotal, long other) {
        windowStartNanos = nanoTime;
        completedAtStart = completedTotal;
        otherAtStart = other;
    }
}
