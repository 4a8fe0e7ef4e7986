package dev.lamplighter.worker.internal.poll;

import dev.lamplighter.LaunchContext;
import dev.lamplighter.worker.LamplighterConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * What the poll loop needs to know.
 *
 * @param clock null means the database's clock (production); tests pass a mutable one
 * @param batchLimit the most due schedules one tick handles; the rest wait for the next tick
 * @param capabilities what this node offers to schedules that require something (e.g. "llm")
 * @param conditionRole the role SQL conditions run under ({@link LaunchContext#conditionRole()})
 * @param chunkSize the most due schedules checked in one transaction ({@value #DEFAULT_CHUNK_SIZE}
 *     by default; 1 to {@value #MAX_CHUNK_SIZE}); 1 checks each schedule in a transaction of its own
 */
public record PollerSettings(String nodeId, Duration pollInterval, Duration launcherRetryBase,
                             long advisoryLockKey, Clock clock, int batchLimit, java.util.Set<String> capabilities,
                             String conditionRole, int chunkSize) {

    /** Due schedules checked per transaction unless set otherwise ({@code LAMPLIGHTER_POLL_CHUNK_SIZE}). */
    public static final int DEFAULT_CHUNK_SIZE = LamplighterConfig.DEFAULT_POLL_CHUNK_SIZE;
    /** The largest chunk allowed. */
    public static final int MAX_CHUNK_SIZE = LamplighterConfig.MAX_POLL_CHUNK_SIZE;

    public PollerSettings {
        if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunkSize = " + chunkSize + " is not allowed: expected 1 to "
                    + MAX_CHUNK_SIZE + " schedules per transaction");
        }
    }

    /** Settings with the default chunk size. */
    public PollerSettings(String nodeId, Duration pollInterval, Duration launcherRetryBase, long advisoryLockKey,
                          Clock clock, int batchLimit, java.util.Set<String> capabilities, String conditionRole) {
        this(nodeId, pollInterval, launcherRetryBase, advisoryLockKey, clock, batchLimit, capabilities, conditionRole,
                DEFAULT_CHUNK_SIZE);
    }

    /** Settings of a node without capabilities. */
    public PollerSettings(String nodeId, Duration pollInterval, Duration launcherRetryBase, long advisoryLockKey,
                          Clock clock, int batchLimit) {
        this(nodeId, pollInterval, launcherRetryBase, advisoryLockKey, clock, batchLimit, java.util.Set.of());
    }

    /** Settings whose SQL conditions run under the default condition role. */
    public PollerSettings(String nodeId, Duration pollInterval, Duration launcherRetryBase, long advisoryLockKey,
                          Clock clock, int batchLimit, java.util.Set<String> capabilities) {
        this(nodeId, pollInterval, launcherRetryBase, advisoryLockKey, clock, batchLimit, capabilities,
                LaunchContext.DEFAULT_CONDITION_ROLE);
    }

    public static final int DEFAULT_BATCH_LIMIT = 1000;

    public static PollerSettings from(LamplighterConfig config) {
        return new PollerSettings(config.nodeId(), config.pollInterval(), config.launcherRetryBase(),
                config.advisoryLockKey(), config.clock().orElse(null), DEFAULT_BATCH_LIMIT, config.capabilities(),
                config.conditionRole(), config.pollChunkSize());
    }

    public PollerSettings withAdvisoryLockKey(long key) {
        return new PollerSettings(nodeId, pollInterval, launcherRetryBase, key, clock, batchLimit, capabilities, conditionRole, chunkSize);
    }

    public PollerSettings withCapabilities(java.util.Set<String> more) {
        return new PollerSettings(nodeId, pollInterval, launcherRetryBase, advisoryLockKey, clock, batchLimit,
                Set.copyOf(more), conditionRole, chunkSize);
    }

    public PollerSettings withNodeId(String id) {
        return new PollerSettings(id, pollInterval, launcherRetryBase, advisoryLockKey, clock, batchLimit, capabilities, conditionRole, chunkSize);
    }

    public PollerSettings withConditionRole(String role) {
        return new PollerSettings(nodeId, pollInterval, launcherRetryBase, advisoryLockKey, clock, batchLimit, capabilities, role,
                chunkSize);
    }

    /** These settings with {@code size} due schedules checked per transaction (1 to {@value #MAX_CHUNK_SIZE}). */
    public PollerSettings withChunkSize(int size) {
        return new PollerSettings(nodeId, pollInterval, launcherRetryBase, advisoryLockKey, clock, batchLimit, capabilities,
                conditionRole, size);
    }
}
