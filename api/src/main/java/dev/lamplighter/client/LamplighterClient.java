package dev.lamplighter.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamplighter.LamplighterException;
import dev.lamplighter.TriggerSource;
import dev.lamplighter.internal.SqlFiles;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * What application code needs to talk to Lamplighter: enqueue a job, trigger a schedule. Plain
 * JDBC over the application's own {@link DataSource}; thread-safe.
 *
 * <p>{@link #enqueue(Connection, JobRequest)} joins the caller's transaction, so a job can be
 * enqueued atomically with the change that calls for it (the job exists if and only if the
 * transaction commits). {@link #enqueueAll(List)} writes many jobs in one round trip.
 */
public final class LamplighterClient {

    private static final String INSERT_JOB = SqlFiles.load("jobs/insert");
    private static final String FIND_BY_DEDUP_KEY = SqlFiles.load("jobs/find_by_dedup_key");
    private static final String TRIGGER_SCHEDULE = SqlFiles.load("scheduled_jobs/trigger");
    private static final String BUMP_COUNTER = SqlFiles.load("counters/bump");
    private static final String ADVANCE_EPOCH = SqlFiles.load("epochs/advance");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final Clock clock;

    private LamplighterClient(DataSource dataSource, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = clock;
    }

    /**
     * A client that uses the database's clock.
     *
     * @param dataSource where the {@code lamplighter} schema lives
     * @return the client
     */
    public static LamplighterClient create(DataSource dataSource) {
        return new LamplighterClient(dataSource, null);
    }

    /**
     * A client whose "now" comes from {@code clock} (tests).
     *
     * @param dataSource where the {@code lamplighter} schema lives
     * @param clock      the clock for "now"; null means the database's clock
     * @return the client
     */
    public static LamplighterClient create(DataSource dataSource, Clock clock) {
        return new LamplighterClient(dataSource, clock);
    }

    /**
     * Enqueues a job in its own transaction.
     *
     * @param request the job
     * @return the job's id, or the existing job's id when the dedup key is taken
     * @throws LamplighterException if the database refuses the job or cannot be reached
     */
    public long enqueue(JobRequest request) {
        try (Connection c = dataSource.getConnection()) {
            return enqueue(c, request);
        } catch (SQLException e) {
            throw new LamplighterException("Cannot enqueue job of type '" + request.jobType() + "': " + e.getMessage(), e);
        }
    }

    /**
     * Enqueues a job on the caller's connection, inside whatever transaction it has open.
     *
     * @param connection the caller's connection; not committed or closed here
     * @param request    the job
     * @return the job's id, or the existing job's id when the dedup key is taken
     * @throws LamplighterException if the database refuses the job
     */
    public long enqueue(Connection connection, JobRequest request) {
        try {
            Long id = insertJob(connection, request.jobType(), "queued", request.payload(), null, false,
                    request.source().dbValue(), request.priority(), request.runAt().orElse(now()),
                    request.maxAttempts(), request.dedupKey().orElse(null), Map.of(),
                    request.timeout().orElse(null));
            if (id != null) {
                return id;
            }
            try (PreparedStatement ps = connection.prepareStatement(FIND_BY_DEDUP_KEY)) {
                ps.setString(1, request.dedupKey().orElseThrow());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new LamplighterException("Job with dedup key '" + request.dedupKey().get()
                                + "' conflicted on insert but is not visible; retry the enqueue");
                    }
                    return rs.getLong(1);
                }
            }
        } catch (SQLException e) {
            throw new LamplighterException("Cannot enqueue job of type '" + request.jobType() + "': " + e.getMessage(), e);
        }
    }

    /**
     * Enqueues many jobs in one round trip and one transaction of their own (one
     * {@code INSERT ... SELECT FROM unnest(...)}). Dedup keys hold per request: a request whose key
     * is taken, by an existing job or by an earlier request of the same batch, inserts nothing and
     * maps to the job that holds the key. Workers get one notification per job type, not one per job.
     *
     * @param requests the jobs, in any number (an empty list does nothing); no null elements
     * @return each request's job id (the existing job's id on a dedup hit), in request order; unmodifiable
     * @throws IllegalArgumentException naming the request's index if the list or a request is null,
     *                                  or a payload does not serialize to JSON; nothing is inserted
     * @throws LamplighterException     if the database refuses the batch or cannot be reached; nothing is inserted
     */
    public List<Long> enqueueAll(List<JobRequest> requests) {
        String[] payloads = BatchEnqueue.validate(requests, r -> toJson(r.payload()));
        if (requests.isEmpty()) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            try {
                // One statement is atomic on its own; the follow-up read of a key taken meanwhile
                // joins it in one transaction.
                c.setAutoCommit(false);
                List<Long> ids = BatchEnqueue.insert(c, requests, payloads, now());
                c.commit();
                return ids;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw batchFailed(requests, e);
        }
    }

    /**
     * As {@link #enqueueAll(List)}, on the caller's connection inside whatever transaction it has
     * open: the jobs exist if and only if that transaction commits.
     *
     * @param connection the caller's connection; not committed, rolled back or closed here
     * @param requests   the jobs, in any number (an empty list does nothing); no null elements
     * @return each request's job id (the existing job's id on a dedup hit), in request order; unmodifiable
     * @throws IllegalArgumentException naming the request's index if the list or a request is null,
     *                                  or a payload does not serialize to JSON; nothing is inserted
     * @throws LamplighterException     if the database refuses the batch; nothing is inserted
     */
    public List<Long> enqueueAll(Connection connection, List<JobRequest> requests) {
        String[] payloads = BatchEnqueue.validate(requests, r -> toJson(r.payload()));
        try {
            return BatchEnqueue.insert(connection, requests, payloads, now());
        } catch (SQLException e) {
            throw batchFailed(requests, e);
        }
    }

    private static LamplighterException batchFailed(List<JobRequest> requests, SQLException e) {
        return new LamplighterException("Cannot enqueue a batch of " + requests.size() + " job(s) of type(s) "
                + requests.stream().map(JobRequest::jobType).distinct().limit(5).toList() + ": " + e.getMessage(), e);
    }

    /**
     * Makes a schedule due now, after an event in the application (the seed's post-ingestion
     * trigger); the poll loop checks it at once (a NOTIFY wakes it), through the same launcher and
     * the same dedup as the cron path, and the decision log records the source {@code event}.
     *
     * @param scheduleName the schedule's {@code name}
     * @return false if no schedule has that name
     * @throws LamplighterException if the database cannot be reached
     */
    public boolean trigger(String scheduleName) {
        return trigger(scheduleName, TriggerSource.EVENT);
    }

    /**
     * As {@link #trigger(String)}, recording {@code source} ({@link TriggerSource#EVENT} or
     * {@link TriggerSource#MANUAL}) in the decision log.
     *
     * @param scheduleName the schedule's {@code name}
     * @param source       {@link TriggerSource#EVENT} or {@link TriggerSource#MANUAL}
     * @return false if no schedule has that name
     * @throws IllegalArgumentException if {@code source} is {@link TriggerSource#CRON}
     * @throws LamplighterException     if the database cannot be reached
     */
    public boolean trigger(String scheduleName, TriggerSource source) {
        if (source == TriggerSource.CRON) {
            throw new IllegalArgumentException("source = cron is not allowed: expected event or manual");
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(TRIGGER_SCHEDULE)) {
            setInstant(ps, 1, now());
            ps.setString(2, source.dbValue());
            ps.setString(3, scheduleName);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new LamplighterException("Cannot trigger schedule '" + scheduleName + "': " + e.getMessage(), e);
        }
    }

    /**
     * Adds {@code by} to a change counter in its own transaction.
     *
     * @param counter the counter's name; created at 0 if it does not exist
     * @param by      how many changes to add; 1 or more
     * @return the counter's new value
     * @throws LamplighterException if the database refuses the change or cannot be reached
     */
    public long bumpCounter(String counter, long by) {
        try (Connection c = dataSource.getConnection()) {
            return bumpCounter(c, counter, by);
        } catch (SQLException e) {
            throw new LamplighterException("Cannot bump counter '" + counter + "': " + e.getMessage(), e);
        }
    }

    /**
     * Adds {@code by} to a change counter inside the caller's transaction.
     *
     * @param connection the caller's connection; not committed or closed here
     * @param counter    the counter's name; created at 0 if it does not exist
     * @param by         how many changes to add; 1 or more
     * @return the counter's new value
     * @throws LamplighterException if the database refuses the change
     */
    public long bumpCounter(Connection connection, String counter, long by) {
        return callLong(connection, BUMP_COUNTER, counter, by, "bump counter");
    }

    /**
     * Advances an epoch by one in its own transaction (after an ingestion, say).
     *
     * @param epoch the epoch's name; created if it does not exist
     * @return the epoch's new value
     * @throws LamplighterException if the database refuses the change or cannot be reached
     */
    public long advanceEpoch(String epoch) {
        try (Connection c = dataSource.getConnection()) {
            return callLong(c, ADVANCE_EPOCH, epoch, 1, "advance epoch");
        } catch (SQLException e) {
            throw new LamplighterException("Cannot advance epoch '" + epoch + "': " + e.getMessage(), e);
        }
    }

    private static long callLong(Connection c, String sql, String name, long by, String what) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            ps.setLong(2, by);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new LamplighterException("Cannot " + what + " '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * Inserts one job row; the single place that runs {@code sql/jobs/insert.sql}. Returns null
     * when {@code dedupKey} is already taken. Not API: the poll loop uses it too.
     *
     * @param connection   the caller's connection, inside its transaction
     * @param jobType      {@code jobs.job_type}
     * @param status       {@code jobs.status} ({@code queued} or {@code awaiting_approval})
     * @param payload      {@code jobs.payload}, written as a JSON object
     * @param scheduleName {@code jobs.schedule_name}; null for a job no schedule launched
     * @param systemJob    {@code jobs.is_system_job}
     * @param source       {@code jobs.job_source}
     * @param priority     {@code jobs.priority}; higher runs first
     * @param runAt        {@code jobs.run_at}; null means the database's now
     * @param maxAttempts  {@code jobs.max_attempts}
     * @param dedupKey     {@code jobs.dedup_key}; null for none
     * @param consumes     {@code jobs.consumes}: counter values the job consumes when it completes
     * @return the new job's id, or null when {@code dedupKey} is already taken
     * @throws SQLException if the insert fails
     */
    public static Long insertJob(Connection connection, String jobType, String status, Map<String, ?> payload,
                                 String scheduleName, boolean systemJob, String source, int priority,
                                 Instant runAt, int maxAttempts, String dedupKey,
                                 Map<String, Long> consumes) throws SQLException {
        return insertJob(connection, jobType, status, payload, scheduleName, systemJob, source, priority, runAt,
                maxAttempts, dedupKey, consumes, null);
    }

    /**
     * As above, with the job's own timeout per attempt ({@code jobs.timeout_ms}; null: none). Not API.
     *
     * @param connection   the caller's connection, inside its transaction
     * @param jobType      {@code jobs.job_type}
     * @param status       {@code jobs.status} ({@code queued} or {@code awaiting_approval})
     * @param payload      {@code jobs.payload}, written as a JSON object
     * @param scheduleName {@code jobs.schedule_name}; null for a job no schedule launched
     * @param systemJob    {@code jobs.is_system_job}
     * @param source       {@code jobs.job_source}
     * @param priority     {@code jobs.priority}; higher runs first
     * @param runAt        {@code jobs.run_at}; null means the database's now
     * @param maxAttempts  {@code jobs.max_attempts}
     * @param dedupKey     {@code jobs.dedup_key}; null for none
     * @param consumes     {@code jobs.consumes}: counter values the job consumes when it completes
     * @param timeout      {@code jobs.timeout_ms}; null for none of its own
     * @return the new job's id, or null when {@code dedupKey} is already taken
     * @throws SQLException if the insert fails
     */
    public static Long insertJob(Connection connection, String jobType, String status, Map<String, ?> payload,
                                 String scheduleName, boolean systemJob, String source, int priority,
                                 Instant runAt, int maxAttempts, String dedupKey,
                                 Map<String, Long> consumes, java.time.Duration timeout) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(INSERT_JOB)) {
            ps.setString(1, jobType);
            ps.setString(2, status);
            ps.setString(3, toJson(payload));
            ps.setString(4, scheduleName);
            ps.setBoolean(5, systemJob);
            ps.setString(6, source);
            ps.setInt(7, priority);
            setInstant(ps, 8, runAt);
            ps.setInt(9, maxAttempts);
            ps.setString(10, dedupKey);
            ps.setString(11, consumes.isEmpty() ? null : toJson(consumes));
            if (timeout == null) {
                ps.setNull(12, Types.BIGINT);
            } else {
                ps.setLong(12, timeout.toMillis());
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private Instant now() {
        return clock == null ? null : clock.instant();
    }

    private static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        if (instant == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setTimestamp(index, Timestamp.from(instant));
        }
    }

    private static String toJson(Map<String, ?> payload) {
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("payload is not allowed: expected values that serialize to JSON ("
                    + e.getOriginalMessage() + ")", e);
        }
    }
}
