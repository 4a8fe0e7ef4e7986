package dev.lamplighter.worker.internal.queue;

import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.events.AttemptEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The worker's batched outcome statements: failed attempts ({@code sql/jobs/fail_batch.sql}), the
 * check that an earlier try of a retried failure batch had committed, and the release of a
 * stopping node's unfinished attempts ({@code sql/jobs/release_batch.sql}). Every row of each is a
 * compare-and-set on job, attempt and owner. Once a write committed, the listeners hear of each
 * outcome it changed ({@link AttemptLedger}). Thread-safe.
 */
final class OutcomeStore {

    private static final String FAIL_BATCH = SqlFiles.load("jobs/fail_batch");
    private static final String FAIL_BATCH_OUTCOME = SqlFiles.load("jobs/fail_batch_outcome");
    private static final String COMPLETE_BATCH = SqlFiles.load("jobs/complete_batch");
    private static final String RELEASE_BATCH = SqlFiles.load("jobs/release_batch");

    /** A failed attempt to write: its job, attempt, the error kept and the delay before the retry. */
    record Failure(long jobId, int attempt, String error, long retryMs) {
    }

    /** A completed attempt to write: its job, attempt and the handler's result as JSON. */
    record Completion(long jobId, int attempt, String resultJson) {
    }

    /** What a batch changed: the completed job ids, and the failed ones with their new status. */
    record Written(Set<Long> completed, Map<Long, JobStore.FailResult> failed) {
    }

    private final Jdbi jdbi;
    private final String nodeId;
    private final Clock clock;
    /** Set once, before the pool starts: the listeners and what they need of the attempts. */
    private volatile AttemptLedger ledger;

    /** @param clock null means the database's clock */
    OutcomeStore(Jdbi jdbi, String nodeId, Clock clock) {
        this.jdbi = jdbi;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    /**
     * Writes completions (counters included) and failures: one statement each, in one transaction
     * when there are both.
     */
    Written write(List<Completion> completions, List<Failure> failures) {
        if (completions.isEmpty() && failures.isEmpty()) {
            return new Written(Set.of(), Map.of());
        }
        Written written;
        if (completions.isEmpty() || failures.isEmpty()) {
            written = jdbi.withHandle(h -> new Written(complete(h, completions), fail(h, failures)));
        } else {
            written = jdbi.inTransaction(h -> new Written(complete(h, completions), fail(h, failures)));
        }
        tell(completions, failures, written);
        return written;
    }

    /** Tells the listeners what a committed write changed. */
    private void tell(List<Completion> completions, List<Failure> failures, Written written) {
        AttemptLedger l = ledger;
        if (l == null || !l.active()) {
            return;
        }
        for (Completion c : completions) {
            if (written.completed().contains(c.jobId())) {
                l.completed(c.jobId(), c.attempt());
            }
        }
        for (Failure f : failures) {
            JobStore.FailResult result = written.failed().get(f.jobId());
            if (result != null) {
                l.failed(f.jobId(), f.attempt(), result.status());
            }
        }
    }

    /** Where the listeners learn of committed outcomes; set once, before the pool runs. */
    void ledger(AttemptLedger ledger) {
        this.ledger = ledger;
    }

    private Set<Long> complete(Handle h, List<Completion> completions) {
        if (completions.isEmpty()) {
            return Set.of();
        }
        return h.createQuery(COMPLETE_BATCH)
                .bind("jobIds", completions.stream().map(Completion::jobId).toArray(Long[]::new))
                .bind("attempts", completions.stream().map(Completion::attempt).toArray(Integer[]::new))
                .bind("results", completions.stream().map(Completion::resultJson).toArray(String[]::new))
                .bind("now", now()).bind("nodeId", nodeId)
                .mapTo(Long.class).collect(Collectors.toSet());
    }

    private Map<Long, JobStore.FailResult> fail(Handle h, List<Failure> failures) {
        if (failures.isEmpty()) {
            return Map.of();
        }
        Map<Long, JobStore.FailResult> failed = new HashMap<>();
        h.createQuery(FAIL_BATCH)
                .bind("jobIds", failures.stream().map(Failure::jobId).toArray(Long[]::new))
                .bind("attempts", failures.stream().map(Failure::attempt).toArray(Integer[]::new))
                .bind("errors", failures.stream().map(Failure::error).toArray(String[]::new))
                .bind("retryMs", failures.stream().map(Failure::retryMs).toArray(Long[]::new))
                .bind("now", now()).bind("nodeId", nodeId)
                .map((rs, ctx) -> failed.put(rs.getLong("job_id"),
                        new JobStore.FailResult(rs.getString("status"), rs.getTimestamp("run_at").toInstant())))
                .list();
        return failed;
    }

    /**
     * Of these failures, the ones an earlier try of the batch already wrote (no longer running, at
     * the same attempt, with the same error): their new status, by job id.
     */
    Map<Long, JobStore.FailResult> alreadyFailed(List<Failure> failures) {
        if (failures.isEmpty()) {
            return Map.of();
        }
        Map<Long, JobStore.FailResult> found = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery(FAIL_BATCH_OUTCOME)
                .bind("jobIds", failures.stream().map(Failure::jobId).toArray(Long[]::new))
                .bind("attempts", failures.stream().map(Failure::attempt).toArray(Integer[]::new))
                .bind("errors", failures.stream().map(Failure::error).toArray(String[]::new))
                .map((rs, ctx) -> found.put(rs.getLong("job_id"),
                        new JobStore.FailResult(rs.getString("status"), rs.getTimestamp("run_at").toInstant())))
                .list());
        return found;
    }

    /** Gives these attempts back to the queue, attempt not counted, in one statement; returns the ids given back. */
    Set<Long> release(List<ClaimedJob> attempts) {
        if (attempts.isEmpty()) {
            return Set.of();
        }
        Set<Long> released = jdbi.withHandle(h -> h.createQuery(RELEASE_BATCH)
                .bind("jobIds", attempts.stream().map(ClaimedJob::jobId).toArray(Long[]::new))
                .bind("attempts", attempts.stream().map(ClaimedJob::attempt).toArray(Integer[]::new))
                .bind("nodeId", nodeId)
                .mapTo(Long.class).collect(Collectors.toSet()));
        AttemptLedger l = ledger;
        if (l != null && l.active()) {
            for (ClaimedJob job : attempts) {
                if (released.contains(job.jobId())) {
                    l.listeners().attemptEnded(new AttemptEvent(job.jobType(), job.jobId(), job.attempt(),
                            AttemptEvent.Outcome.RELEASED, java.time.Duration.ZERO));
                }
            }
        }
        return released;
    }

    private Instant now() {
        return clock == null ? null : clock.instant();
    }
}
