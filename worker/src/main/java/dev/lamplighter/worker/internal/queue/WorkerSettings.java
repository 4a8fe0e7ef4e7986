package dev.lamplighter.worker.internal.queue;

import dev.lamplighter.worker.LamplighterConfig;
import java.time.Clock;
import java.time.Duration;

/**
 * What the worker pool and the rescuer need to know.
 *
 * @param drainTimeout how long {@code stop()} waits for in-flight jobs before releasing them
 * @param clock null means the database's clock (production); tests pass a mutable one
 */
public record WorkerSettings(String nodeId, int threads, Duration pollInterval, Duration lease,
                             Duration retryBase, Duration retryMax, Duration drainTimeout, Clock clock) {

    public static WorkerSettings from(LamplighterConfig config) {
        return new WorkerSettings(config.nodeId(), config.workerThreads(), config.workerPollInterval(),
                config.jobLease(), config.jobRetryBase(), config.jobRetryMax(), config.shutdownTimeout(),
                config.clock().orElse(null));
    }

    public WorkerSettings withNodeId(String id) {
        return new WorkerSettings(id, threads, pollInterval, lease, retryBase, retryMax, drainTimeout, clock);
    }

    public WorkerSettings withThreads(int n) {
        return new WorkerSettings(nodeId, n, pollInterval, lease, retryBase, retryMax, drainTimeout, clock);
    }
}
