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
import dev.lamplighter.worker.internal.config.Durations;
import dev.lamplighter.worker.internal.schedule.InvalidScheduleException;
import dev.lamplighter.worker.internal.schedule.LauncherBackoff;
import dev.lamplighter.worker.internal.schedule.Timetable;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Checks one due schedule in one transaction: takes the row, asks its launcher, enqueues when told
 * to, records the decision and advances {@code next_run}. All of it commits together or not at all,
 * and the row lock plus the job's dedup key ({@code <schedule>@<slot>}) make a slot launch at most
 * once even when two nodes check at the same moment.
 */
final class ScheduleChecker {

    private static final Logger log = LoggerFactory.getLogger(ScheduleChecker.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private static final String LOCK_DUE = SqlFiles.load("scheduled_jobs/lock_due");
    private static final String RECORD_CHECK = SqlFiles.load("scheduled_jobs/record_check");
    private static final String REPORT_UNKNOWN_LAUNCHER = SqlFiles.load("scheduled_jobs/report_unknown_launcher");
    private static final String FIND_ACTIVE_JOB = SqlFiles.load("jobs/find_active_for_schedule");
    private static final String INSERT_DECISION = SqlFiles.load("decision_log/insert");

    private final Jdbi jdbi;
    private final Map<String, Launcher> launchers;
    private final PollerSettings settings;
    private final Set<String> reportedUnknown = ConcurrentHashMap.newKeySet();

    ScheduleChecker(Jdbi jdbi, Map<String, Launcher> launchers, PollerSettings settings) {
        this.jdbi = jdbi;
        this.launchers = Map.copyOf(launchers);
        this.settings = settings;
    }

    CheckOutcome check(String name, Instant slot) {
        MDC.put("schedule", name);
        try (Handle h = jdbi.open()) {
            return h.inTransaction(tx -> checkIn(tx, name, slot));
        } catch (SQLException e) {
            throw new dev.lamplighter.LamplighterException("Schedule '" + name + "' slot " + slot
                    + ": cannot record the check: " + e.getMessage(), e);
        } finally {
            MDC.remove("schedule");
        }
    }

    private CheckOutcome checkIn(Handle h, String name, Instant slot) throws SQLException {
        h.createQuery("SELECT set_config('lamplighter.origin', 'poller', true)").mapTo(String.class).one();
        Optional<DueSchedule> taken = h.createQuery(LOCK_DUE)
                .bind("name", name).bind("slot", slot).bind("now", nowParam())
                .map((rs, ctx) -> DueSchedule.map(rs)).findOne();
        if (taken.isEmpty()) {
            log.debug("Schedule '{}' slot {} is being checked by another node, or was already", name, slot);
            return CheckOutcome.TAKEN;
        }
        DueSchedule row = taken.get();
        TriggerSource source = row.triggerSource();
        if (!settings.capabilities().containsAll(row.requires())) {
            reportMissingCapabilities(h, row);
            return CheckOutcome.NOT_CAPABLE;
        }
        Launcher launcher = launchers.get(row.launcher());
        if (launcher == null) {
            reportUnknownLauncher(h, row);
            return CheckOutcome.UNKNOWN_LAUNCHER;
        }
        reportedUnknown.remove(row.name() + "|" + row.launcher());
        log.info("Schedule '{}' is due{}, triggering launcher {}", name,
                source == TriggerSource.CRON ? "" : " (" + source.dbValue() + " trigger)", launcher.name());
        long started = System.nanoTime();
        Timetable timetable = null;
        Decision decision;
        h.savepoint("launcher");
        try {
            timetable = Timetable.of(row.cron(), row.interval(), row.timeZone());
            Params params = Params.of(parseParams(row.paramsJson()));
            launcher.validateParams(params);
            decision = previousJobStillActive(h, name)
                    .orElse(null);
            if (decision == null) {
                Context ctx = new Context(name, row.jobType(), params, row.now(), row.slot(),
                        Timetable.zone(row.timeZone()), Optional.ofNullable(row.lastSuccess()), source, h.getConnection(),
                        settings.conditionRole());
                decision = launcher.checkConditions(ctx);
                if (decision == null) {
                    throw new IllegalStateException(launcher.name()
                            + ".checkConditions returned null: expected Decision.launch(...) or Decision.skip(...)");
                }
            }
            h.releaseSavepoint("launcher");
        } catch (Exception e) {
            h.rollbackToSavepoint("launcher");
            fail(h, row, launcher, e, source, elapsedMs(started));
            return CheckOutcome.FAILED;
        }
        Instant next = timetable.nextAfter(row.slot(), row.now());
        if (decision.isLaunch()) {
            Long jobId = LamplighterClient.insertJob(h.getConnection(), row.jobType(),
                    "hitl".equals(row.automation()) ? "awaiting_approval" : "queued", decision.payload(), name, true,
                    "scheduled_task", row.priority(), nowParam(), row.maxAttempts(), name + "@" + row.slot(),
                    decision.consumes());
            if (jobId != null) {
                log.info("{}: {}", launcher.name(), decision.reason());
                log.info("Schedule '{}' launched job {}{} (next check {})", name, jobId,
                        "hitl".equals(row.automation()) ? ", awaiting approval" : "", next);
                record(h, row, "launched", decision.reason(), decision.figures(), jobId, source, 0, true, next, null,
                        elapsedMs(started));
                return CheckOutcome.LAUNCHED;
            }
            decision = Decision.skip("slot " + row.slot() + " was already launched").withFigures(decision.figures());
        }
        log.info("{}: {}", launcher.name(), decision.reason());
        log.info("Schedule '{}' skipped (conditions not met), next check {}", name, next);
        record(h, row, "skipped", decision.reason(), decision.figures(), null, source, 0, true, next, null,
                elapsedMs(started));
        return CheckOutcome.SKIPPED;
    }

    private Optional<Decision> previousJobStillActive(Handle h, String name) {
        return h.createQuery(FIND_ACTIVE_JOB).bind("name", name)
                .map((rs, ctx) -> Decision.skip("previous job " + rs.getLong("job_id") + " is still " + rs.getString("status"))
                        .withFigure("active_job_id", rs.getLong("job_id"))
                        .withFigure("active_job_status", rs.getString("status")))
                .findOne();
    }

    private void fail(Handle h, DueSchedule row, Launcher launcher, Exception e, TriggerSource source, double ms) {
        String error = describe(e);
        int retry = row.retryCount() + 1;
        boolean disable = retry >= row.maxRetries();
        Duration delay = LauncherBackoff.delay(settings.launcherRetryBase(), retry);
        // A disabled schedule is due again at once when an operator re-enables it.
        Instant next = disable ? row.now() : row.now().plus(delay);
        log.error("Schedule '{}' launcher failed: {}", row.name(), error,
                e instanceof InvalidParamsException || e instanceof InvalidScheduleException
                        || e instanceof dev.lamplighter.conditions.ConditionRoleException ? null : e);
        String reason;
        if (disable) {
            log.error("Schedule '{}' max retries exceeded ({}/{}), disabling; re-enable with "
                    + "UPDATE lamplighter.scheduled_jobs SET enabled = true, retry_count = 0 WHERE name = '{}'",
                    row.name(), retry, row.maxRetries(), row.name());
            reason = error + " (retry " + retry + "/" + row.maxRetries() + ": max retries exceeded, schedule disabled)";
        } else {
            log.warn("Schedule '{}' failed (retry {}/{}), retrying in {}", row.name(), retry, row.maxRetries(),
                    Durations.human(delay));
            reason = error + " (retry " + retry + "/" + row.maxRetries() + ", retrying in " + Durations.human(delay) + ")";
        }
        record(h, row, "failed", reason, Map.of("launcher", launcher.name(), "retry", retry, "max_retries", row.maxRetries()),
                null, source, retry, !disable, next, error, ms);
    }

    private void record(Handle h, DueSchedule row, String outcome, String reason, Map<String, Object> figures,
                        Long jobId, TriggerSource source, int retryCount, boolean enabled, Instant nextRun,
                        String error, double ms) {
        h.createUpdate(RECORD_CHECK)
                .bind("name", row.name()).bind("now", row.now()).bind("outcome", outcome)
                .bind("error", error).bind("retryCount", retryCount).bind("enabled", enabled)
                .bind("nextRun", nextRun)
                .execute();
        h.createUpdate(INSERT_DECISION)
                .bind("name", row.name()).bind("slot", row.slot()).bind("decidedAt", row.now())
                .bind("outcome", outcome).bind("reason", reason).bind("figures", toJson(figures))
                .bind("jobId", jobId).bind("triggerSource", source.dbValue()).bind("nodeId", settings.nodeId())
                .bind("durationMs", ms)
                .execute();
    }

    private void reportUnknownLauncher(Handle h, DueSchedule row) {
        String error = "launcher = \"" + row.launcher() + "\" is not registered on node " + settings.nodeId()
                + ": expected one of " + new java.util.TreeSet<>(launchers.keySet())
                + "; the schedule stays due for a node that has it";
        h.createUpdate(REPORT_UNKNOWN_LAUNCHER).bind("name", row.name()).bind("error", error).execute();
        if (reportedUnknown.add(row.name() + "|" + row.launcher())) {
            log.warn("Schedule '{}': {}", row.name(), error);
        }
    }

    /**
     * This node lacks a capability the schedule requires: leave it due for a node that has it, and
     * say why in last_error and, when that changes, in the decision log.
     */
    private void reportMissingCapabilities(Handle h, DueSchedule row) {
        java.util.List<String> missing = row.requires().stream().filter(r -> !settings.capabilities().contains(r)).toList();
        String error = "requires capabilities " + row.requires() + ": node " + settings.nodeId() + " lacks " + missing
                + " (it has " + new java.util.TreeSet<>(settings.capabilities())
                + "); the schedule stays due for a node that has them";
        int changed = h.createUpdate(REPORT_UNKNOWN_LAUNCHER).bind("name", row.name()).bind("error", error).execute();
        if (changed == 1) {
            log.info("Schedule '{}' not checked on this node: {}", row.name(), error);
            h.createUpdate(INSERT_DECISION)
                    .bind("name", row.name()).bind("slot", row.slot()).bind("decidedAt", row.now())
                    .bind("outcome", "skipped").bind("reason", error)
                    .bind("figures", toJson(Map.of("requires", row.requires(), "missing", missing)))
                    .bind("jobId", (Long) null).bind("triggerSource", row.triggerSource().dbValue())
                    .bind("nodeId", settings.nodeId()).bind("durationMs", 0.0)
                    .execute();
        }
    }

    private static Map<String, Object> parseParams(String json) {
        try {
            Map<String, Object> map = JSON.readValue(json, MAP);
            return map == null ? Map.of() : map;
        } catch (JsonProcessingException e) {
            throw new InvalidParamsException("params = " + json + " is not allowed: expected a JSON object");
        }
    }

    private static String toJson(Map<String, Object> figures) {
        try {
            return JSON.writeValueAsString(figures);
        } catch (JsonProcessingException e) {
            return "{\"unserializable_figures\": " + JSON.valueToTree(String.valueOf(figures)) + "}";
        }
    }

    private static String describe(Exception e) {
        if (e instanceof InvalidParamsException || e instanceof InvalidScheduleException) {
            return e.getMessage();
        }
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        return e.getClass().getSimpleName() + message;
    }

    private Instant nowParam() {
        return settings.clock() == null ? null : settings.clock().instant();
    }

    private static double elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000.0;
    }
}
