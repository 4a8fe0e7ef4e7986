package dev.lamplighter.worker.internal.queue;

import dev.lamplighter.internal.SqlFiles;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/** Every statement of the queue's worker side, one method each. Thread-safe. */
public final class JobStore {

    private static final String CLAIM_BATCH = SqlFiles.load("jobs/claim_batch");
    private static final String CLAIM_LIMITED_LOCK = SqlFiles.load("jobs/claim_limited_lock");
    private static final String CLAIM_LIMITED = SqlFiles.load("jobs/claim_limited");
    private static final String CLAIM_PLAN = SqlFiles.load("jobs/claim_plan");
    private static final String COMPLETE = SqlFiles.load("jobs/complete");
    private static final String COMPLETE_BATCH = SqlFiles.load("jobs/complete_batch");
    private static final String FIND_OUTCOME = SqlFiles.load("jobs/find_outcome");
    private static final String CONSUME_COUNTERS = SqlFiles.load("counters/consume_for_job");
    private static final String FAIL_ATTEMPT = SqlFiles.load("jobs/fail_attempt");
    private static final String RELEASE = SqlFiles.load("jobs/release");
    private static final String EXTEND_LEASES = SqlFiles.load("jobs/extend_leases");
    private static final String RESCUE_EXPIRED = SqlFiles.load("jobs/rescue_expired");
    private static final String NEXT_DUE_IN = SqlFiles.load("jobs/next_due_in");
    private static final String LIST_UNHANDLED_TYPES = SqlFiles.load("jobs/list_unhandled_types");

    private final Jdbi jdbi;
    private final String nodeId;
    private final Clock clock;

    /** @param clock null means the database's clock */
    public JobStore(Jdbi jdbi, String nodeId, Clock clock) {
        this.jdbi = jdbi;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    /** What a failed attempt led to. */
    public record FailResult(String status, Instant runAt) {
    }

    /**
     * A job the rescuer took back: {@code reason} is {@code lease} (its lease ran out) or
     * {@code node} (its node is gone from {@code lamplighter.nodes} or silent, whatever the lease said).
     */
    public record Rescued(long jobId, String jobType, String status, String reason) {
    }

    /** Queued jobs of a type that no live node handles, and the types the live nodes do handle. */
    public record UnhandledType(String jobType, long queued, Instant oldestRunAt, List<String> handledTypes) {
    }

    /**
     * What one claim of the unlimited types returned: the jobs it claimed, and which of the types
     * asked for have a concurrency limit (those it did not claim); {@code limitedTypes} is null
     * when no statement ran (nothing to claim), so that nothing is learned.
     */
    record Claim(List<ClaimedJob> jobs, Set<String> limitedTypes) {
    }

    /**
     * Claims up to {@code limit} jobs of these types, leaving the types that have a limit in
     * {@code lamplighter.job_types} alone (one statement, no lock: {@code jobs/claim_batch}), in a
     * transaction whose plan reads each type in claim order ({@code jobs/claim_plan}).
     */
    Claim claim(Collection<String> jobTypes, int limit, Duration lease) {
        if (limit <= 0 || jobTypes.isEmpty()) {
            return new Claim(List.of(), null);
        }
        List<ClaimedJob> jobs = new ArrayList<>();
        Set<String> limited = new HashSet<>();
        jdbi.useTransaction(h -> orderedPlan(h).createQuery(CLAIM_BATCH)
                .bind("now", now()).bind("jobTypes", jobTypes.toArray(String[]::new)).bind("limit", limit)
                .bind("nodeId", nodeId).bind("leaseMs", lease.toMillis())
                .map((rs, ctx) -> {
                    rs.getLong("job_id");
                    if (rs.wasNull()) {
                        limited.add(rs.getString("job_type"));   // a limited type: no job, a marker row
                        return null;
                    }
                    return claimedJob(rs);
                })
                .forEach(job -> {
                    if (job != null) {
                        jobs.add(job);
                    }
                }));
        return new Claim(jobs, limited);
    }

    /**
     * Claims up to {@code limit} jobs of one limited type, no more than its limit leaves, under the
     * type's transaction-level advisory lock: lock and claim are two statements of one READ
     * COMMITTED transaction, so the claim's snapshot sees every claim of the type committed before.
     */
    List<ClaimedJob> claimLimited(String jobType, int limit, Duration lease) {
        if (limit <= 0) {
            return List.of();
        }
        return jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, h -> {
            h.createQuery(CLAIM_LIMITED_LOCK).bind("jobType", jobType).mapTo(String.class).one();
            return orderedPlan(h).createQuery(CLAIM_LIMITED)
                    .bind("now", now()).bind("jobType", jobType).bind("limit", limit)
                    .bind("nodeId", nodeId).bind("leaseMs", lease.toMillis())
                    .map((rs, ctx) -> claimedJob(rs))
                    .list();
        });
    }

    /** Sets {@code jobs/claim_plan} for the rest of the handle's transaction; returns the handle. */
    static Handle orderedPlan(Handle h) {
        h.createQuery(CLAIM_PLAN).mapTo(String.class).one();
        return h;
    }

    private static ClaimedJob claimedJob(ResultSet rs) throws SQLException {
        return new ClaimedJob(rs.getLong("job_id"), rs.getString("job_type"), rs.getString("payload"),
                rs.getString("schedule_name"), rs.getInt("attempts"), rs.getInt("max_attempts"),
                rs.getTimestamp("started_at").toInstant(),
                rs.getObject("timeout_ms") == null ? null : Duration.ofMillis(rs.getLong("timeout_ms")));
    }

    /**
     * Marks the job completed and consumes the counter values it carried, in one transaction.
     *
     * @return false if the job is no longer this node's (the rescuer took it back)
     */
    boolean complete(long jobId, int attempt, String resultJson) {
        return jdbi.inTransaction(h -> {
            boolean ours = h.createUpdate(COMPLETE).bind("jobId", jobId).bind("attempt", attempt).bind("result", resultJson)
                    .bind("now", now()).bind("nodeId", nodeId).execute() == 1;
            if (ours) {
                h.createUpdate(CONSUME_COUNTERS).bind("jobId", jobId).execute();
            }
            return ours;
        });
    }

    /**
     * Completes these attempts (job id, attempt and result JSON, pairwise) and consumes the
     * counters of the completed ones, in one statement and transaction.
     *
     * @return the ids of the jobs completed; the others are no longer this node's
     */
    Set<Long> completeBatch(Long[] jobIds, Integer[] attempts, String[] resultsJson) {
        if (jobIds.length == 0) {
            return Set.of();
        }
        return jdbi.withHandle(h -> h.createQuery(COMPLETE_BATCH)
                .bind("jobIds", jobIds).bind("attempts", attempts).bind("results", resultsJson)
                .bind("now", now()).bind("nodeId", nodeId)
                .mapTo(Long.class).collect(Collectors.toSet()));
    }

    /** Whether the job is completed at {@code attempt}: a retried completion whose earlier try committed. */
    boolean completedAt(long jobId, int attempt) {
        return jdbi.withHandle(h -> h.createQuery(FIND_OUTCOME).bind("jobId", jobId)
                .map((rs, ctx) -> "completed".equals(rs.getString("status")) && rs.getInt("attempts") == attempt)
                .findOne().orElse(false));
    }

    /** @return empty if the attempt is no longer this node's */
    Optional<FailResult> failAttempt(long jobId, int attempt, String error, Duration retryIn) {
        return jdbi.withHandle(h -> h.createQuery(FAIL_ATTEMPT).bind("jobId", jobId).bind("attempt", attempt).bind("error", error)
                .bind("retryMs", retryIn.toMillis()).bind("now", now()).bind("nodeId", nodeId)
                .map((rs, ctx) -> new FailResult(rs.getString("status"), rs.getTimestamp("run_at").toInstant()))
                .findOne());
    }

    boolean release(long jobId, int attempt) {
        return jdbi.withHandle(h -> h.createUpdate(RELEASE).bind("jobId", jobId).bind("attempt", attempt)
                .bind("nodeId", nodeId).execute()) == 1;
    }

    /** Extends the leases of these attempts; returns how many were still this node's. */
    int extendLeases(Collection<ClaimedJob> attempts, Duration lease) {
        if (attempts.isEmpty()) {
            return 0;
        }
        return jdbi.withHandle(h -> h.createUpdate(EXTEND_LEASES)
                .bind("jobIds", attempts.stream().map(ClaimedJob::jobId).toArray(Long[]::new))
                .bind("attempts", attempts.stream().map(ClaimedJob::attempt).toArray(Integer[]::new))
                .bind("now", now()).bind("leaseMs", lease.toMillis()).bind("nodeId", nodeId).execute());
    }

    /**
     * How long until the next queued job of these types becomes due, measured by the database (or
     * the bound clock); empty when none waits.
     */
    Optional<Duration> nextDueIn(Collection<String> jobTypes) {
        if (jobTypes.isEmpty()) {
            return Optional.empty();
        }
        Long ms = jdbi.withHandle(h -> h.createQuery(NEXT_DUE_IN).bind("now", now())
                .bind("jobTypes", jobTypes.toArray(String[]::new)).mapTo(Long.class).one());
        return Optional.ofNullable(ms).map(Duration::ofMillis);
    }

    /** Queued job types that no node seen within {@code liveWithin} has a handler for. */
    public List<UnhandledType> unhandledTypes(Duration liveWithin) {
        return jdbi.withHandle(h -> h.createQuery(LIST_UNHANDLED_TYPES).bind("now", now())
                .bind("liveMs", liveWithin.toMillis())
                .map((rs, ctx) -> new UnhandledType(rs.getString("job_type"), rs.getLong("queued"),
                        rs.getTimestamp("oldest_run_at").toInstant(),
                        List.of((String[]) rs.getArray("handled_types").getArray())))
                .list());
    }

    public List<Rescued> rescueExpired(int limit) {
        // In claim order's plan (no sort): the running rows are read in lease order from jobs_running_lease,
        // never from an index that also holds the queued backlog.
        return jdbi.inTransaction(h -> orderedPlan(h).createQuery(RESCUE_EXPIRED).bind("now", now()).bind("limit", limit)
                .bind("liveMs", JobRescuer.LIVE_WITHIN.toMillis())
                .map((rs, ctx) -> new Rescued(rs.getLong("job_id"), rs.getString("job_type"), rs.getString("status"),
                        rs.getString("reason")))
                .list());
    }

    private Instant now() {
        return clock == null ? null : clock.instant();
    }
}
