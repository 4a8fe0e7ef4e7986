package dev.lamplighter.worker.internal.queue;

import java.time.Duration;
import java.time.Instant;

/**
 * A job this node claimed (sql/jobs/claim_batch.sql): one attempt of it, identified by job id and
 * attempt number.
 *
 * @param timeout the job's own time limit ({@code jobs.timeout_ms}); null when it has none
 */
record ClaimedJob(long jobId, String jobType, String payloadJson, String scheduleName, int attempt,
                  int maxAttempts, Instant startedAt, Duration timeout) {
}
