package dev.lamplighter.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.lamplighter.Decision;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import dev.lamplighter.Params;
import dev.lamplighter.TriggerSource;
import dev.lamplighter.cli.db.OperatorConnection;
import dev.lamplighter.cli.demo.Demo;
import dev.lamplighter.conditions.Conditions;
import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.internal.schedule.Timetable;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Evaluates a schedule's launcher now, as the poll loop would check it, in a transaction that is
 * always rolled back: nothing is launched, claimed or recorded. The launcher is found as
 * {@code lamplighter run} finds it: the built-in params launchers ({@code lamplighter.counter},
 * {@code lamplighter.sql}, ...), the demo's, and those listed for {@link ServiceLoader} on the
 * classpath (which win over the others). A launcher this classpath does not have is a finding,
 * not a crash.
 */
final class Explainer {

    static final String ROW = SqlFiles.load("cli/explain_schedule");
    private static final String LIMITS = SqlFiles.load("cli/explain_limits");
    private static final String FIND_ACTIVE_JOB = SqlFiles.load("jobs/find_active_for_schedule");
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    /** How long a launcher's statement may wait for a lock (the poll loop's, say) before the explanation ends. */
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(5);
    /** How long one of the launcher's statements may run. */
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);

    /** The decision a check would take now, or why it cannot be evaluated here. */
    enum Outcome {
        /** The launcher would launch a job. */
        LAUNCH,
        /** The launcher would skip (not an error). */
        SKIP,
        /** The check would fail: the row cannot be read, or the launcher threw. */
        FAILED,
        /** The launcher is not on this CLI's classpath: nothing was evaluated. */
        UNKNOWN_LAUNCHER;

        String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<String, Launcher> launchers;
    private final String conditionRole;
    private final Clock clock;

    Explainer(Map<String, Launcher> launchers, String conditionRole, Clock clock) {
        this.launchers = Map.copyOf(launchers);
        this.conditionRole = conditionRole;
        this.clock = clock;
    }

    /** The launchers this CLI can run: built-ins, the demo's, then ServiceLoader's (a later one wins on a name). */
    static Map<String, Launcher> discover(ClassLoader loader) {
        Map<String, Launcher> found = new TreeMap<>();
        Conditions.builtInLaunchers().forEach(l -> found.put(l.name(), l));
        Demo.launchers().forEach(l -> found.put(l.name(), l));
        ServiceLoader.load(Launcher.class, loader).forEach(l -> found.put(l.name(), l));
        return found;
    }

    /** The schedule's row as {@code sql/cli/explain_schedule.sql} reads it, or empty. */
    Optional<Map<String, Object>> row(OperatorConnection db, String name) {
        Map<String, Object> params = new HashMap<>();
        params.put("name", name);
        params.put("now", clock == null ? null : clock.instant());
        return db.query(ROW, params).stream().findFirst();
    }

    /** Evaluates the schedule whose row is given, in a transaction that is rolled back. */
    Map<String, Object> explain(OperatorConnection db, Map<String, Object> row) {
        String name = (String) row.get("name");
        String launcherName = (String) row.get("launcher");
        Instant now = instant(row.get("now"));
        Instant nextRun = instant(row.get("next_run"));
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
            result.put("reason", "launcher '" + launcherName + "' is not on this CLI's classpath (it has " + launchers.keySet()
                    + "): run the CLI with the jar that holds it, java -cp lamplighter-cli-all.jar:your-jobs.jar "
                    + "dev.lamplighter.cli.Main explain " + name);
            result.put("would", "nothing evaluated");
            return result;
        }
        long started = System.nanoTime();
        Timetable[] timetable = {null};
        db.inTransaction(false, h -> {
            Map<String, Object> limits = new HashMap<>();
            limits.put("lockTimeout", LOCK_TIMEOUT.toMillis() + "ms");
            limits.put("statementTimeout", STATEMENT_TIMEOUT.toMillis() + "ms");
            db.query(LIMITS, limits);
            try {
                Long intervalMs = row.get("interval_ms") == null ? null : ((Number) row.get("interval_ms")).longValue();
                timetable[0] = Timetable.of((String) row.get("schedule_cron"),
                        intervalMs == null ? null : Duration.ofMillis(intervalMs), (String) row.get("time_zone"));
                Params params = Params.of(parseParams((String) row.get("params")));
                launcher.validateParams(params);
                Decision decision = db.query(FIND_ACTIVE_JOB, Map.of("name", name)).stream().findFirst()
                        .map(active -> Decision.skip("previous job " + active.get("job_id") + " is still " + active.get("status"))
                                .withFigure("active_job_id", active.get("job_id"))
                                .withFigure("active_job_status", active.get("status")))
                        .orElse(null);
                if (decision == null) {
                    decision = launcher.checkConditions(new ExplainContext(name, (String) row.get("job_type"), params, now,
                            slot, Timetable.zone((String) row.get("time_zone")),
                            Optional.ofNullable(instant(row.get("last_success"))), source, db.connection(), conditionRole));
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
            return null;
        });
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
    static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

    private static Map<String, Object> parseParams(String json) {
        try {
            Map<String, Object> map = Json.MAPPER.readValue(json, MAP);
            if (map == null) {
                throw new dev.lamplighter.InvalidParamsException("params = null is not allowed: expected a JSON object");
            }
            return map;
        } catch (JsonProcessingException e) {
            throw new dev.lamplighter.InvalidParamsException("params is not allowed: " + e.getOriginalMessage());
        }
    }

    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp ts) {
            return ts.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        return Instant.parse(value.toString());
    }

    /** The {@link LaunchContext} of an explanation: as the poll loop's, on the rolled-back transaction. */
    record ExplainContext(String scheduleName, String jobType, Params params, Instant now, Instant slot,
                          ZoneId timeZone, Optional<Instant> lastSuccess, TriggerSource triggerSource,
                          Connection connection, String conditionRole) implements LaunchContext {
    }

    /** The outcome a result map holds. */
    static Outcome outcome(Map<String, Object> explanation) {
        return Outcome.valueOf(String.valueOf(explanation.get("outcome")).toUpperCase(Locale.ROOT));
    }
}
