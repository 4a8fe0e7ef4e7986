package dev.lamplighter.worker.internal.poll;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamplighter.Decision;
import dev.lamplighter.InvalidParamsException;
import dev.lamplighter.Launcher;
import dev.lamplighter.Params;
import dev.lamplighter.TriggerSource;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.events.CheckEvent;
import dev.lamplighter.worker.internal.Listeners;
import dev.lamplighter.worker.internal.LoopErrors;
import dev.lamplighter.worker.internal.schedule.InvalidScheduleException;
import dev.lamplighter.worker.internal.schedule.Shown;
import dev.lamplighter.worker.internal.schedule.Timetable;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Checks one due schedule in one transaction: takes the row, reads it strictly, asks its launcher,
 * enqueues when told to, records the decision and advances {@code next_run}. All of it commits
 * together or not at all, and the row lock plus the job's dedup key ({@code <schedule>@<slot>})
 * make a slot launch at most once even when two nodes check at the same moment.
 *
 * <p>Everything after the row is taken runs in a savepoint: whatever fails there (the row's cron,
 * zone or params, computing the next run, the launcher, the enqueue, writing the outcome) is rolled
 * back to the savepoint and recorded as this schedule's failure in the same transaction. If that
 * transaction itself is broken, it is rolled back and the failure is recorded in a fresh one. A
 * broken row never rolls back its whole check, so it is counted, backed off and disabled like a
 * launcher that throws.
 */
final class ScheduleChecker {

    private static final Logger log = LoggerFactory.getLogger(ScheduleChecker.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private static final String MARK_ORIGIN = SqlFiles.load("scheduler/mark_origin");
    private static final String LOCK_DUE = SqlFiles.load("scheduled_jobs/lock_due");
    private static final String FIND_ACTIVE_JOB = SqlFiles.load("jobs/find_active_for_schedule");
    private static final String ZONE_KNOWN = SqlFiles.load("scheduler/zone_known");

    private final Jdbi jdbi;
    private final Map<String, Launcher> launchers;
    private final String[] launcherNames;
    private final String[] capabilities;
    private final PollerSettings settings;
    private final CheckRecorder recorder;
    private final Map<String, Boolean> zonesKnownToPostgres = new ConcurrentHashMap<>();
    private final CheckEvents events;

    ScheduleChecker(Jdbi jdbi, Map<String, Launcher> launchers, PollerSettings settings) {
        this(jdbi, launchers, settings, new Listeners());
    }

    ScheduleChecker(Jdbi jdbi, Map<String, Launcher> launchers, PollerSettings settings, Listeners listeners) {
        this.events = new CheckEvents(listeners);
        this.jdbi = jdbi;
        this.launchers = Map.copyOf(launchers);
        this.launcherNames = launchers.keySet().toArray(String[]::new);
        this.capabilities = settings.capabilities().toArray(String[]::new);
        this.settings = settings;
        this.recorder = new CheckRecorder(settings);
    }

    CheckOutcome check(String name, Instant slot) {
        return check(name, slot, null);
    }

    /** As {@link #check(String, Instant)}; {@code lag}, when given, learns how late the slot was checked. */
    CheckOutcome check(String name, Instant slot, TickLag lag) {
        MDC.put("schedule", name);
        long started = System.nanoTime();
        Attempt attempt = new Attempt();
        try (Handle h = jdbi.open()) {
            CheckOutcome outcome = h.inTransaction(tx -> checkIn(tx, name, slot, attempt));
            if (attempt.committedLine != null) {
                attempt.committedLine.run();
            }
            committed(attempt, outcome, lag);
            return outcome;
        } catch (RuntimeException e) {
            // The check's first error says what happened: the server dropped the connection (nothing
            // of the check was recorded, and it is not the launcher's failure: the slot stays due,
            // and the caller checks it again on another connection), or the check broke its own
            // transaction (a launcher that closed, committed or rolled back its connection).
            Throwable first = attempt.failure != null ? attempt.failure : e;
            if (attempt.row == null || LoopErrors.isDroppedByServer(first)) {
                if (first != e) {
                    CheckConnectionLostException lost = new CheckConnectionLostException(name, first);
                    lost.addSuppressed(e);
                    throw lost;
                }
                throw e;
            }
            Throwable cause = attempt.failure != null ? attempt.failure : e;
            attempt.reason = CheckRecorder.isBrokenRow(cause) ? CheckEvent.Reason.BROKEN_ROW
                    : CheckEvent.Reason.LAUNCHER_ERROR;
            CheckOutcome outcome = failInFreshTransaction(attempt, new TransactionBrokeException(
                    CheckRecorder.describe(cause), cause), e, elapsedMs(started));
            committed(attempt, outcome, lag);
            return outcome;
        } finally {
            MDC.remove("schedule");
        }
    }

    private CheckOutcome checkIn(Handle h, String name, Instant slot, Attempt attempt) {
        Optional<DueSchedule> locked = lock(h, name, slot);
        if (locked.isEmpty()) {
            log.debug("Schedule '{}' slot {} is being checked by another node, or was already", name, slot);
            return CheckOutcome.TAKEN;
        }
        DueSchedule row = locked.get();
        attempt.row = row;
        long started = System.nanoTime();
        h.savepoint("check");
        attempt.committedLine = null;
        try {
            CheckOutcome outcome = decide(h, null, h.getConnection(), h::getConnection, row, started, attempt,
                    n -> previousJobStillActive(h, n));
            h.releaseSavepoint("check");
            return outcome;
        } catch (Exception e) {
            attempt.failure = e;
            // If the transaction cannot go back to the savepoint (or recording fails), this throws
            // and check() records the failure in a fresh transaction.
            h.rollbackToSavepoint("check");
            attempt.failed(e, recorder.fail(h, row, e, elapsedMs(started)));
            return CheckOutcome.FAILED;
        }
    }

    private Optional<DueSchedule> lock(Handle h, String name, Instant slot) {
        h.createQuery(MARK_ORIGIN).mapTo(String.class).one();
        return h.createQuery(LOCK_DUE)
                .bind("name", name).bind("slot", slot).bind("now", nowParam())
                .bind("launchers", launcherNames).bind("capabilities", capabilities)
                .map((rs, ctx) -> DueSchedule.map(rs)).findOne();
    }

    private CheckOutcome failInFreshTransaction(Attempt attempt, Throwable e, RuntimeException broken, double ms) {
        DueSchedule row = attempt.row;
        log.debug("Schedule '{}': the check's transaction failed; recording the failure in a fresh one", row.name(), broken);
        try (Handle h = jdbi.open()) {
            return h.inTransaction(tx -> {
                Optional<DueSchedule> again = lock(tx, row.name(), row.slot());
                if (again.isEmpty()) {
                    return CheckOutcome.TAKEN;
                }
                attempt.disabled = recorder.fail(tx, again.get(), e, ms);
                attempt.error = CheckRecorder.describe(e);
                return CheckOutcome.FAILED;
            });
        }
    }

    /**
     * Decides one taken row: with a chunk's {@code batch} the outcome is collected there, and a
     * launch's job is inserted with the chunk's others when the chunk writes them; else the job is
     * inserted through {@code enqueue} and the outcome written at once. {@code activeJob} says
     * whether the schedule's previous job is still waiting or running. The launcher uses
     * {@code connection}.
     */
    CheckOutcome decide(Handle h, ChunkRecords batch, java.sql.Connection connection,
                        java.util.function.Supplier<java.sql.Connection> enqueue, DueSchedule row, long started,
                        Attempt attempt,
                        java.util.function.Function<String, Optional<Decision>> activeJob) throws Exception {
        Launcher launcher = launchers.get(row.launcher());
        if (launcher == null) {
            // lock_due only returns rows whose launcher this node has.
            throw new IllegalStateException("launcher " + row.launcher() + " is not registered on this node");
        }
        Timetable timetable = Timetable.of(row.cron(), row.interval(), row.timeZone());
        requireKnownToPostgres(h, row.timeZone());
        Instant next = timetable.nextAfter(row.slot(), row.now());
        if (isMissed(row)) {
            attempt.reason = CheckEvent.Reason.MISSED_SLOT;
            return recordMissed(h, batch, row, next, started, attempt);
        }
        Params params = Params.of(parseParams(row.paramsJson()));
        launcher.validateParams(params);
        log.debug("Schedule '{}' is due{}, asking launcher {}", row.name(), row.sourceNote(), launcher.name());
        Decision decision = activeJob.apply(row.name()).orElse(null);
        attempt.reason = CheckEvent.Reason.ONE_INSTANCE_ACTIVE;
        if (decision == null) {
            attempt.reason = null;
            Context ctx = new Context(row.name(), row.jobType(), params, row.now(), row.slot(),
                    Timetable.zone(row.timeZone()), Optional.ofNullable(row.lastSuccess()), row.triggerSource(),
                    connection, settings.conditionRole());
            decision = launcher.checkConditions(ctx);
            if (decision == null) {
                throw new IllegalStateException(launcher.name()
                        + ".checkConditions returned null: expected Decision.launch(...) or Decision.skip(...)");
            }
        }
        boolean hitl = "hitl".equals(row.automation());
        if (attempt.reason == null) {
            attempt.reason = decision.isLaunch() ? CheckEvent.Reason.CONDITION_MET : CheckEvent.Reason.CONDITION_NOT_MET;
        }
        if (decision.isLaunch() && batch != null) {
            // In a chunk the job is inserted with the chunk's other launches, at its end (ChunkRecords).
            batch.launch(new ChunkRecords.Launch(row, hitl ? "awaiting_approval" : "queued", toJson("payload",
                    decision.payload()), decision.consumes().isEmpty() ? null : toJson("consumes", decision.consumes()),
                    decision.reason(), CheckRecorder.toJson(decision.figures()), next, elapsedMs(started)));
            attempt.committedLine = null;
            return CheckOutcome.LAUNCHED;
        }
        if (decision.isLaunch()) {
            Long jobId = LamplighterClient.insertJob(enqueue.get(), row.jobType(),
                    hitl ? "awaiting_approval" : "queued", decision.payload(), row.name(), true,
                    "scheduled_task", row.priority(), nowParam(), row.maxAttempts(), row.name() + "@" + row.slot(),
                    decision.consumes());
            if (jobId != null) {
                recorder.record(h, batch, row, "launched", decision.reason(), decision.figures(), jobId, 0, true, next, null,
                        elapsedMs(started));
                String reason = decision.reason();
                attempt.committedLine = () -> log.info("Schedule '{}'{} launched job {}{}: {} (next check {})", row.name(),
                        row.sourceNote(), jobId, hitl ? ", awaiting approval" : "", reason, next);
                return CheckOutcome.LAUNCHED;
            }
            decision = Decision.skip("slot " + row.slot() + " was already launched").withFigures(decision.figures());
            attempt.reason = CheckEvent.Reason.ALREADY_LAUNCHED;
        }
        recorder.record(h, batch, row, "skipped", decision.reason(), decision.figures(), null, 0, true, next, null,
                elapsedMs(started));
        String reason = decision.reason();
        // A skip is the common case (thousands per tick at volume): DEBUG; the tick's INFO line counts them.
        attempt.committedLine = () -> log.debug("Schedule '{}'{} skipped: {} (next check {})", row.name(),
                row.sourceNote(), reason, next);
        return CheckOutcome.SKIPPED;
    }

    /** A launch's payload or consumes as JSON; a value that cannot be written is this check's failure. */
    private static String toJson(String field, Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(field + " is not allowed: expected values that serialize to JSON ("
                    + e.getOriginalMessage() + ")", e);
        }
    }

    /** A timetable slot later than the schedule's misfire grace; a trigger is never a misfire. */
    private static boolean isMissed(DueSchedule row) {
        return row.triggerSource() == TriggerSource.CRON && row.misfireGrace() != null
                && Duration.between(row.slot(), row.now()).compareTo(row.misfireGrace()) > 0;
    }

    /** Records a missed slot as skipped; the launcher is not asked; retry_count and last_error stay. */
    private CheckOutcome recordMissed(Handle h, ChunkRecords batch, DueSchedule row, Instant next, long started,
                                      Attempt attempt) {
        Duration late = Duration.between(row.slot(), row.now());
        String reason = "missed: slot " + row.slot() + " was " + Shown.duration(late) + " late, misfire grace "
                + Shown.duration(row.misfireGrace());
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("lateness_ms", late.toMillis());
        figures.put("misfire_grace_ms", row.misfireGrace().toMillis());
        recorder.record(h, batch, row, "skipped", reason, figures, null, row.retryCount(), true, next, row.lastError(),
                elapsedMs(started));
        attempt.committedLine = () -> log.info("Schedule '{}' skipped: {} (next check {})", row.name(), reason, next);
        return CheckOutcome.SKIPPED;
    }

    /** The JVM accepted the zone; this PostgreSQL server must know it by the same name too. */
    private void requireKnownToPostgres(Handle h, String zone) {
        if ("UTC".equals(zone)) {
            return;
        }
        boolean known = zonesKnownToPostgres.computeIfAbsent(zone,
                z -> h.createQuery(ZONE_KNOWN).bind("zone", z).mapTo(Boolean.class).one());
        if (!known) {
            throw new InvalidScheduleException("time_zone = " + Shown.quoted(zone)
                    + " is not allowed: this PostgreSQL server does not know it (pg_timezone_names): "
                    + "expected an IANA region id that both Java and PostgreSQL know");
        }
    }

    private Optional<Decision> previousJobStillActive(Handle h, String name) {
        return h.createQuery(FIND_ACTIVE_JOB).bind("name", name)
                .map((rs, ctx) -> stillActive(rs.getLong("job_id"), rs.getString("status")))
                .findOne();
    }

    /** The skip for a schedule whose previous job is still waiting or running (one instance). */
    static Decision stillActive(long jobId, String status) {
        return Decision.skip("previous job " + jobId + " is still " + status)
                .withFigure("active_job_id", jobId).withFigure("active_job_status", status);
    }

    /**
     * Reads {@code params} strictly; a value that cannot be read is reported with the parser's own
     * reason and the value cut to a readable length.
     */
    static Map<String, Object> parseParams(String json) {
        try {
            Map<String, Object> map = JSON.readValue(json, MAP);
            if (map == null) {
                throw new InvalidParamsException("params = null is not allowed: expected a JSON object");
            }
            return map;
        } catch (JsonProcessingException e) {
            throw new InvalidParamsException("params = " + Shown.cut(json) + " is not allowed: "
                    + Shown.firstLine(e.getOriginalMessage()));
        }
    }

    private Instant nowParam() {
        return settings.clock() == null ? null : settings.clock().instant();
    }

    /** A check whose own transaction broke; its message says what broke it. */
    static final class TransactionBrokeException extends dev.lamplighter.LamplighterException {
        private static final long serialVersionUID = 1L;

        TransactionBrokeException(String what, Throwable cause) {
            super("the check's transaction broke (" + what + "): a launcher must leave LaunchContext.connection() "
                    + "open and must not commit or roll it back", cause);
        }
    }

    /** A check whose connection was lost; nothing of it was recorded. Its cause says why. */
    static final class CheckConnectionLostException extends dev.lamplighter.LamplighterException {
        private static final long serialVersionUID = 1L;

        CheckConnectionLostException(String schedule, Throwable cause) {
            super("the connection was lost during the check of schedule '" + schedule + "'", cause);
        }
    }

    /** Tells the listeners what a committed check decided, and {@code lag} how late its slot was checked. */
    void committed(Attempt attempt, CheckOutcome outcome, TickLag lag) {
        events.committed(attempt, outcome, lag);
    }

    /** What one check got to: the row it took, and the failure it is recording, if any. */
    static final class Attempt {
        final long startedNanos = System.nanoTime();
        DueSchedule row;
        Throwable failure;
        /** The INFO line that says what the check decided, logged once its transaction committed. */
        Runnable committedLine;
        /** Why it decided as it did, once it did; a failure sets it from its exception. */
        CheckEvent.Reason reason;
        /** Whether its failure disabled the schedule, and the error kept. */
        boolean disabled;
        String error;

        /** The check failed with {@code e}; {@code disabled}: the failure disabled the schedule. */
        void failed(Throwable e, boolean disabled) {
            this.reason = CheckRecorder.isBrokenRow(e) ? CheckEvent.Reason.BROKEN_ROW : CheckEvent.Reason.LAUNCHER_ERROR;
            this.disabled = disabled;
            this.error = disabled ? CheckRecorder.describe(e) : null;
        }
    }

    static double elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000.0;
    }
}
