package dev.lamplighter.worker.internal.queue;

import java.time.Duration;

/**
 * How many claimed-but-not-started jobs a node keeps, from how long its jobs take: as many as its
 * threads can start within {@link #LOOKAHEAD}, at most the configured cap
 * ({@code LAMPLIGHTER_WORKER_PREFETCH}). A node of fast jobs claims in large batches (few claim
 * transactions per job); a node of slow jobs claims little beyond its free threads (no hoarding:
 * a job another node could start now does not wait behind a long one here).
 *
 * <p>The job duration is a moving average (weight {@link #WEIGHT} for the newest) of handler run
 * times as measured by the caller. Before the first job ends, the prefetch is the threads' count
 * (at most the cap). It never exceeds the jobs the node has run so far (or its threads' count, if
 * more): a node that has run one fast job does not take a thousand on the strength of it; it
 * doubles, roughly, with each claim while its jobs stay fast. Pure and thread-safe; the caller
 * measures time.
 */
final class PrefetchSizer {

    /** How far ahead a node claims work: what its threads can start within this time. */
    static final Duration LOOKAHEAD = Duration.ofMillis(50);
    /** Weight of the newest run time in the moving average. */
    static final double WEIGHT = 0.2;

    private final int threads;
    private final int cap;
    private final double lookaheadNanos;
    private double averageNanos = Double.NaN;
    private long ran;

    /**
     * @param threads the pool's worker threads (1 or more)
     * @param cap the most prefetched jobs (0: claim only for free threads)
     */
    PrefetchSizer(int threads, int cap, Duration lookahead) {
        this.threads = threads;
        this.cap = cap;
        this.lookaheadNanos = lookahead.toNanos();
    }

    PrefetchSizer(int threads, int cap) {
        this(threads, cap, LOOKAHEAD);
    }

    /** A handler ran for {@code nanos}. */
    synchronized void ran(long nanos) {
        double sample = Math.max(0, nanos);
        averageNanos = Double.isNaN(averageNanos) ? sample : averageNanos + WEIGHT * (sample - averageNanos);
        ran++;
    }

    /** The prefetched jobs to keep now: 0 to the cap. */
    synchronized int prefetch() {
        if (Double.isNaN(averageNanos)) {
            return Math.min(cap, threads);
        }
        double startable = Math.min(threads * lookaheadNanos / Math.max(1.0, averageNanos), Math.max(threads, ran));
        return startable >= cap ? cap : (int) startable;
    }

    /** The average handler run time so far; null before the first. */
    synchronized Duration averageRunTime() {
        return Double.isNaN(averageNanos) ? null : Duration.ofNanos((long) averageNanos);
    }
}
