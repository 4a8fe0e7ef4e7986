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
 */
public record WorkerSettings(String nodeId, int threads, Duration pollInterval, Duration lease,
                             Duration retryBase, Duration retryMax, Duration drainTimeout, Duration jobTimeout,
                             Clock clock) {

    public WorkerSettings {
        if (jobTimeout == null || jobTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("jobTimeout = " + jobTimeout + " is not allowed: expected 1 ms or more");
        }
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
                config.jobTimeout(), config.clock().orElse(null));
    }

    public WorkerSettings withNodeId(String id) {
        return new WorkerSettings(id, threads, pollInterval, lease, retryBase, retryMax, drainTimeout, jobTimeout, clock);
    }

    public WorkerSettings withThreads(int n) {
        return new WorkerSettings(nodeId, n, pollInterval, lease, retryBase, retryMax, drainTimeout, jobTimeout, clock);
    }

    public WorkerSettings withJobTimeout(Duration timeout) {
        return new WorkerSettings(nodeId, threads, pollInterval, lease, retryBase, retryMax, drainTimeout, timeout, clock);
    }

    public WorkerSettings withRetryBase(Duration base) {
        return new WorkerSettings(nodeId, threads, pollInterval, lease, base, retryMax, drainTimeout, jobTimeout, clock);
    }

    public WorkerSettings withPollInterval(Duration interval) {
        return new WorkerSettings(nodeId, threads, interval, lease, retryBase, retryMax, drainTimeout, jobTimeout, clock);
    }
}
