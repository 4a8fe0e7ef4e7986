package dev.lamplighter.worker.internal.queue;

import java.time.Instant;

/** A job this node claimed (sql/jobs/claim_batch.sql). */
record ClaimedJob(long jobId, String jobType, String payloadJson, String scheduleName, int attempt,
                  int maxAttempts, Instant startedAt) {
}
