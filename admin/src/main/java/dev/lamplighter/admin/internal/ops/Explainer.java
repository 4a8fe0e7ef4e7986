package dev.lamplighter.admin.internal.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamplighter.Decision;
import dev.lamplighter.InvalidParamsException;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import dev.lamplighter.Params;
import dev.lamplighter.TriggerSource;
import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.internal.schedule.Timetable;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Evaluates a schedule's launcher now, as the poll loop would check it, in a transaction that is
 * always rolled back: nothing is launched, claimed or recorded. The CLI's {@code explain} and the
 * admin API's {@code GET /api/schedules/{name}/explain} print what {@link #explain} returns. A
 * launcher that is not among the given {@link Launchers} is an outcome, not a crash. Not API.
 */
public final class Explainer {

    private static final String ROW = SqlFiles.load("cli/explain_schedule");
    private static final String LIMITS = SqlFiles.load("cli/explain_limits");
    private static final String FIND_ACTIVE_JOB = SqlFiles.load("jobs/find_active_for_schedule");
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final ObjectMapper PARAMS = new ObjectMapper();

    /** How long a launcher's statement may wait for a lock (the poll loop's, say) before the explanation ends. */
    public static final Duration LOCK_TIMEOUT = Duration.ofSeconds(5);
    /** How long one of the launcher's statements may run. */
    public static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);

    /** The decision a check would take now, or why it cannot be evaluated here. */
    public enum Outcome {
        /** The launcher would launch a job. */
        LAUNCH,
        /** The launcher would skip (not an error). */
        SKIP,
        /** The check would fail: the row cannot be read, or the launcher threw. */
        FAILED,
        /** The launcher is not among those given: nothing was evaluated. */
        UNKNOWN_LAUNCHER;

        /** As the JSON's {@code outcome} says it. */
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Launchers launchers;
    private final String conditionRole;
    private final Clock clock;

    /**
     * @param conditionRole the role SQL conditions run as (the node's {@code LAMPLIGHTER_CONDITION_ROLE}); null: none
     * @param clock         "now"; null: the database's clock
     */
    public Explainer(Launchers launchers, String conditionRole, Clock clock) {
        this.launchers = launchers;
        this.conditionRole = conditionRole;
        this.clock = clock;
    }

    /** The launchers this explainer runs. */
    public Launchers launchers() {
        return launchers;
    }

    /** The schedule's row as {@code sql/cli/explain_schedule.sql} reads it, or empty. */
    public Optional<Map<String, Object>> row(Handle h, String name) {
        Map<String, Object> params = new HashMap<>();
        params.put("name", name);
        params.put("now", clock == null ? null : clock.instant());
        return OpsRows.query(h, ROW, params).stream().findFirst();
    }

    /** Evaluates the schedule whose row is given, in a transaction on {@code h} that is rolled back. */
    public Map<String, Object> explain(Handle h, Map<String, Object> row) {
        String name = (String) row.get("name");
        String launcherName = (String) row.get("launcher");
        Instant now = OpsRows.instant(row.get("now"));
        Instant nextRun = OpsRows.instant(row.get("next_run"));
        boolean due = !nextRun.isAfter(now);
        Instant slot = due ? nextRun : now;
        TriggerSource source = !due ? TriggerSource.MANUAL : row.get("pending_trigger") == null ? TriggerSource.CRON
                : TriggerSource.valueOf(String.valueOf(row.get("pending_trigger")).toUpperCase(Locale.ROOT));
        boolean hitl = "hitl".equals(row.get("automation"));

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("schedule", name);
        result.put("launcher", launcherName);
        result.put("job_type", row.get("job_type"));
        result.put("enabled", row.get("enabled"));
        result.put("evaluated_at", now.toString());
        result.put("next_run", nextRun.toString());
        result.put("slot", slot.toString());
        result.put("trigger_source", source.dbValue());
        result.put("automation", row.get("automation"));

        Launcher launcher = launchers.get(launcherName);
        if (launcher == null) {
            result.put("outcome", Outcome.UNKNOWN_LAUNCHER.json());
            result.put("reason", "launcher '" + launcherName + "' is not on " + launchers.place() + " (it has "
                    + launchers.names() + "): " + String.format(launchers.explainAdvice(), name));
            result.put("would", "nothing evaluated");
            return result;
        }
        long started = System.nanoTime();
        Timetable[] timetable = {null};
        h.begin();
        try {
            Map<String, Object> limits = new HashMap<>();
            limits.put("lockTimeout", LOCK_TIMEOUT.toMillis() + "ms");
            limits.put("statementTimeout", STATEMENT_TIMEOUT.toMillis() + "ms");
            OpsRows.query(h, LIMITS, limits);
            try {
                Long intervalMs = row.get("interval_ms") == null ? null : ((Number) row.get("interval_ms")).longValue();
                timetable[0] = Timetable.of((String) row.get("schedule_cron"),
                        intervalMs == null ? null : Duration.ofMillis(intervalMs), (String) row.get("time_zone"));
                Params params = Params.of(parseParams((String) row.get("params")));
                launcher.validateParams(params);
                Decision decision = OpsRows.query(h, FIND_ACTIVE_JOB, Map.of("name", name)).stream().findFirst()
                        .map(active -> Decision.skip("previous job " + active.get("job_id") + " is still " + active.get("status"))
                                .withFigure("active_job_id", active.get("job_id"))
                                .withFigure("active_job_status", active.get("status")))
                        .orElse(null);
                if (decision == null) {
                    decision = launcher.checkConditions(new ExplainContext(name, (String) row.get("job_type"), params, now,
                            slot, Timetable.zone((String) row.get("time_zone")),
                            Optional.ofNullable(OpsRows.instant(row.get("last_success"))), source, h.getConnection(),
                            conditionRole));
                    if (decision == null) {
                        throw new IllegalStateException(launcher.name()
                                + ".checkConditions returned null: expected Decision.launch(...) or Decision.skip(...)");
                    }
                }
                result.put("outcome", (decision.isLaunch() ? Outcome.LAUNCH : Outcome.SKIP).json());
                result.put("reason", decision.reason());
                result.put("figures", decision.figures());
                if (decision.isLaunch()) {
                    result.put("payload", decision.payload());
                    result.put("consumes", decision.consumes());
                }
                result.put("would", !decision.isLaunch() ? "skip: no job"
                        : hitl ? "enqueue a " + row.get("job_type") + " job awaiting approval (automation = hitl)"
                        : "enqueue a queued " + row.get("job_type") + " job");
            } catch (Exception e) {
                result.put("outcome", Outcome.FAILED.json());
                result.put("reason", describe(e));
                result.put("would", "fail: retry_count + 1 (the poll loop retries after 2, 4, 8, ... minutes)");
            }
        } finally {
            h.rollback();
        }
        result.put("duration_ms", Math.round((System.nanoTime() - started) / 10_000.0) / 100.0);
        if (timetable[0] != null) {
            try {
                result.put("next_check", timetable[0].nextAfter(slot, now).toString());
            } catch (RuntimeException e) {
                result.put("next_check", null);
            }
        }
        result.put("rolled_back", true);
        return result;
    }

    /** An exception as one line: its type and its first line of message. */
    public static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

    private static Map<String, Object> parseParams(String json) {
        try {
            Map<String, Object> map = PARAMS.readValue(json, MAP);
            if (map == null) {
                throw new InvalidParamsException("params = null is not allowed: expected a JSON object");
            }
            return map;
        } catch (JsonProcessingException e) {
            throw new InvalidParamsException("params is not allowed: " + e.getOriginalMessage());
        }
    }

    /** The {@link LaunchContext} of an explanation: as the poll loop's, on the rolled-back transaction. */
    record ExplainContext(String scheduleName, String jobType, Params params, Instant now, Instant slot,
                          ZoneId timeZone, Optional<Instant> lastSuccess, TriggerSource triggerSource,
                          Connection connection, String conditionRole) implements LaunchContext {
    }

    /** The outcome a result map holds. */
    public static Outcome outcome(Map<String, Object> explanation) {
        return Outcome.valueOf(String.valueOf(explanation.get("outcome")).toUpperCase(Locale.ROOT));
    }
}
