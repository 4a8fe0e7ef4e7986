package dev.lamplighter.worker.internal.retention;

import dev.lamplighter.worker.LamplighterConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * What the retention cleaner needs to know.
 *
 * @param nodeId this node, for the log
 * @param completed how long completed jobs are kept; empty: forever
 * @param failed how long failed, cancelled and rejected jobs are kept; empty: forever
 * @param decisions how long decision-log rows are kept; empty: forever
 * @param batch rows deleted per transaction
 * @param interval how often the cleaner runs
 * @param maxBatchesPerRun the most batches of one kind a run deletes; the rest waits for the next run
 * @param lockKey the key of the cleaner's transaction-scoped advisory lock
 * @param clock null means the database's clock (production); tests pass a mutable one
 */
public record RetentionSettings(String nodeId, Optional<Duration> completed, Optional<Duration> failed,
                                Optional<Duration> decisions, int batch, Duration interval, int maxBatchesPerRun,
                                long lockKey, Clock clock) {

    /**
     * The cleaner's advisory lock key: the bytes of "LAMPRTNC", distinct from the poll loop's
     * ({@link LamplighterConfig#DEFAULT_ADVISORY_LOCK_KEY}, the bytes of "LAMP").
     */
    public static final long DEFAULT_LOCK_KEY = 0x4C414D5052544E43L;

    /** Batches of one kind per run: at the default batch size, 100,000 rows of each kind per run. */
    public static final int DEFAULT_MAX_BATCHES_PER_RUN = 100;

    public RetentionSettings {
        if (batch < 1) {
            throw new IllegalArgumentException("batch = " + batch + " is not allowed: expected 1 or more rows");
        }
        if (maxBatchesPerRun < 1) {
            throw new IllegalArgumentException("maxBatchesPerRun = " + maxBatchesPerRun + " is not allowed: expected 1 or more");
        }
    }

    public static RetentionSettings from(LamplighterConfig config) {
        return new RetentionSettings(config.nodeId(), window(config.retainCompleted()), window(config.retainFailed()),
                window(config.retainDecisions()), config.retentionBatch(), config.retentionInterval(),
                DEFAULT_MAX_BATCHES_PER_RUN, DEFAULT_LOCK_KEY, config.clock().orElse(null));
    }

    private static Optional<Duration> window(Duration d) {
        return LamplighterConfig.RETAIN_FOREVER.equals(d) ? Optional.empty() : Optional.of(d);
    }

    public RetentionSettings withBatch(int rows, int maxBatches) {
        return new RetentionSettings(nodeId, completed, failed, decisions, rows, interval, maxBatches, lockKey, clock);
    }

    public RetentionSettings withNodeId(String id) {
        return new RetentionSettings(id, completed, failed, decisions, batch, interval, maxBatchesPerRun, lockKey, clock);
    }
}
