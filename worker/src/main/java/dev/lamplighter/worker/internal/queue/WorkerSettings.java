package dev.lamplighter.worker.internal.queue;

import dev.lamplighter.worker.LamplighterConfig;
import java.time.Clock;
import java.time.Duration;

/**
 * What the worker pool and the rescuer need to know.
 *
 * @param drainTimeout how long {@code stop()} waits for in-flight jobs before releasing them
 * @param jobTimeout the time limit of an attempt whose job and handler set none
 * @param clock null means the database's clock (production); tests pass a mutable one
 * @param prefetch claimed jobs kept waiting for a free thread, beyond the running ones (0: claim
 *     only for free threads)
 * @param completionFlush how long a finished attempt's outcome waits to be written together with
 *     others (0: write what is there at once)
 */
public record WorkerSettings(String nodeId, int threads, Duration pollInterval, Duration lease,
                             Duration retryBase, Duration retryMax, Duration drainTimeout, Duration jobTimeout,
                             Clock clock, int prefetch, Duration completionFlush) {

    public WorkerSettings {
        if (jobTimeout == null || jobTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("jobTimeout = " + jobTimeout + " is not allowed: expected 1 ms or more");
        }
        if (prefetch < 0) {
            throw new IllegalArgumentException("prefetch = " + prefetch + " is not allowed: expected 0 or more");
        }
        if (completionFlush == null || completionFlush.isNegative()) {
            throw new IllegalArgumentException("completionFlush = " + completionFlush
                    + " is not allowed: expected 0 ms or more");
        }
    }

    /** Settings with the default prefetch (twice the threads) and completion flush. */
    public WorkerSettings(String nodeId, int threads, Duration pollInterval, Duration lease,
                          Duration retryBase, Duration retryMax, Duration drainTimeout, Duration jobTimeout,
                          Clock clock) {
        this(nodeId, threads, pollInterval, lease, retryBase, retryMax, drainTimeout, jobTimeout, clock,
                LamplighterConfig.defaultWorkerPrefetch(threads), LamplighterConfig.DEFAULT_WORKER_COMPLETION_FLUSH);
    }

    /** Settings with the default job timeout ({@link LamplighterConfig#DEFAULT_JOB_TIMEOUT}). */
    public WorkerSettings(String nodeId, int threads, Duration pollInterval, Duration lease,
                          Duration retryBase, Duration retryMax, Duration drainTimeout, Clock clock) {
        this(nodeId, threads, pollInterval, lease, retryBase, retryMax, drainTimeout,
                LamplighterConfig.DEFAULT_JOB_TIMEOUT, clock);
    }

    public static WorkerSettings from(LamplighterConfig config) {
        return new WorkerSettings(config.nodeId(), config.workerThreads(), config.workerPollInterval(),
                config.jobLease(), config.jobRetryBase(), config.jobRetryMax(), config.shutdownTimeout(),
                config.jobTimeout(), config.clock().orElse(null), config.workerPrefetch(),
                config.workerCompletionFlush());
    }

    public WorkerSettings withNodeId(String id) {
        return new WorkerSettings(id, threads, pollInterval, lease, retryBase, retryMax, drainTimeout, jobTimeout, clock,
                prefetch, completionFlush);
    }

    public WorkerSettings withThreads(int n) {
        return new WorkerSettings(nodeId, n, pollInterval, lease, retryBase, retryMax, drainTimeout, jobTimeout, clock,
                prefetch, completionFlush);
    }

    public WorkerSettings withJobTimeout(Duration timeout) {
        return new WorkerSettings(nodeId, threads, pollInterval, lease, retryBase, retryMax, drainTimeout, timeout, clock,
                prefetch, completionFlush);
    }

    public WorkerSettings withRetryBase(Duration base) {
        return new WorkerSettings(nodeId, threads, pollInterval, lease, base, retryMax, drainTimeout, jobTimeout, clock,
                prefetch, completionFlush);
    }

    public WorkerSettings withPollInterval(Duration interval) {
        return new WorkerSettings(nodeId, threads, interval, lease, retryBase, retryMax, drainTimeout, jobTimeout, clock,
                prefetch, completionFlush);
    }

    public WorkerSettings withPrefetch(int n) {
        return new WorkerSettings(nodeId, threads, pollInterval, lease, retryBase, retryMax, drainTimeout, jobTimeout, clock,
                n, completionFlush);
    }

    public WorkerSettings withCompletionFlush(Duration flush) {
        return new WorkerSettings(nodeId, threads, pollInterval, lease, retryBase, retryMax, drainTimeout, jobTimeout, clock,
                prefetch, flush);
    }
}
