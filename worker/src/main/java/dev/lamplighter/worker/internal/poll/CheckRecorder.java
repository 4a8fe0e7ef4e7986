package dev.lamplighter.worker.internal.poll;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamplighter.InvalidParamsException;
import dev.lamplighter.TriggerSource;
import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.internal.config.Durations;
import dev.lamplighter.worker.internal.schedule.InvalidScheduleException;
import dev.lamplighter.worker.internal.schedule.LauncherBackoff;
import dev.lamplighter.worker.internal.schedule.Shown;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what one check decided: the schedule row ({@code record_check.sql}) and the decision log
 * ({@code decision_log/insert.sql}), in the caller's transaction. {@link #fail} turns any failure of
 * a check into that schedule's failure: counted, backed off, disabled at {@code max_retries}, and
 * logged as one line.
 */
final class CheckRecorder {

    private static final Logger log = LoggerFactory.getLogger(ScheduleChecker.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The most characters of {@code last_error} and of a failure's reason. */
    static final int ERROR_LIMIT = 1000;

    private static final String RECORD_CHECK = SqlFiles.load("scheduled_jobs/record_check");
    private static final String INSERT_DECISION = SqlFiles.load("decision_log/insert");

    private final PollerSettings settings;

    CheckRecorder(PollerSettings settings) {
        this.settings = settings;
    }

    void record(Handle h, DueSchedule row, String outcome, String reason, Map<String, Object> figures,
                Long jobId, int retryCount, boolean enabled, Instant nextRun, String error, double ms) {
        record(h, null, row, outcome, reason, figures, jobId, retryCount, enabled, nextRun, error, ms);
    }

    /** As above; with a chunk's {@code batch}, the outcome is collected there and written with the chunk. */
    void record(Handle h, ChunkRecords batch, DueSchedule row, String outcome, String reason,
                Map<String, Object> figures, Long jobId, int retryCount, boolean enabled, Instant nextRun,
                String error, double ms) {
        if (batch != null) {
            batch.add(row, outcome, reason, toJson(figures), jobId, retryCount, enabled, nextRun, error, ms);
            return;
        }
        h.createUpdate(RECORD_CHECK)
                .bind("name", row.name()).bind("now", row.now()).bind("outcome", outcome)
                .bind("error", error).bind("retryCount", retryCount).bind("enabled", enabled)
                .bind("nextRun", nextRun)
                .execute();
        decision(h, row.name(), row.slot(), row.now(), row.triggerSource(), outcome, reason, figures, jobId, ms);
    }

    void decision(Handle h, String name, Instant slot, Instant decidedAt, TriggerSource source, String outcome,
                  String reason, Map<String, Object> figures, Long jobId, double ms) {
        h.createUpdate(INSERT_DECISION)
                .bind("name", name).bind("slot", slot).bind("decidedAt", decidedAt)
                .bind("outcome", outcome).bind("reason", reason).bind("figures", toJson(figures))
                .bind("jobId", jobId).bind("triggerSource", source.dbValue())
                .bind("nodeId", settings.nodeId()).bind("durationMs", ms)
                .execute();
    }

    /**
     * Records a failed check: {@code retry_count + 1} (saturating, so a row's own numbers cannot
     * overflow), retry after the backoff, or disable at {@code max_retries}. One log line; the
     * stack trace only at DEBUG, and never for a broken row.
     *
     * @return whether the failure disables the schedule (once it commits)
     */
    boolean fail(Handle h, DueSchedule row, Throwable e, double ms) {
        return fail(h, null, row, e, ms);
    }

    /**
     * As above; with a chunk's {@code batch}, the failure is collected there and written with the chunk.
     *
     * @return whether the failure disables the schedule (once it commits)
     */
    boolean fail(Handle h, ChunkRecords batch, DueSchedule row, Throwable e, double ms) {
        String error = describe(e);
        int retry = row.retryCount() >= Integer.MAX_VALUE - 1 ? Integer.MAX_VALUE : row.retryCount() + 1;
        boolean disable = retry >= row.maxRetries();
        Duration delay = LauncherBackoff.delay(settings.launcherRetryBase(), retry);
        // A disabled schedule is due again at once when an operator re-enables it.
        Instant next = disable ? row.now() : row.now().plus(delay);
        String reason;
        Runnable line;
        if (disable) {
            line = () -> log.error("Schedule '{}'{} failed (retry {}/{}): max retries exceeded, schedule disabled; "
                    + "re-enable with UPDATE lamplighter.scheduled_jobs SET enabled = true, retry_count = 0 "
                    + "WHERE name = '{}': {}", row.name(), row.sourceNote(), retry, row.maxRetries(), row.name(), error);
            reason = error + " (retry " + retry + "/" + row.maxRetries() + ": max retries exceeded, schedule disabled)";
        } else {
            line = () -> log.warn("Schedule '{}'{} failed (retry {}/{}), retrying in {}: {}", row.name(),
                    row.sourceNote(), retry, row.maxRetries(), Durations.human(delay), error);
            reason = error + " (retry " + retry + "/" + row.maxRetries() + ", retrying in " + Durations.human(delay) + ")";
        }
        if (batch != null) {
            batch.afterCommit(line);
        } else {
            line.run();
        }
        if (!isBrokenRow(e)) {
            log.debug("Schedule '{}' failure, with its stack trace", row.name(), e);
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("launcher", row.launcher());
        figures.put("retry", retry);
        figures.put("max_retries", row.maxRetries());
        record(h, batch, row, "failed", reason, figures, null, retry, !disable, next, error, ms);
        return disable;
    }

    static boolean isBrokenRow(Throwable e) {
        return e instanceof InvalidParamsException || e instanceof InvalidScheduleException
                || e instanceof dev.lamplighter.conditions.ConditionRoleException;
    }

    /**
     * One line for last_error: a broken row's message as is (it names the field, the value and
     * what is allowed); otherwise the exception's class and the first line of its message, or of
     * the SQL error underneath a Jdbi exception. Cut to {@value #ERROR_LIMIT} characters.
     */
    static String describe(Throwable e) {
        if (isBrokenRow(e) || e instanceof ScheduleChecker.TransactionBrokeException) {
            return Shown.cut(e.getMessage(), ERROR_LIMIT);
        }
        Throwable shown = e;
        if (e instanceof org.jdbi.v3.core.JdbiException && e.getCause() instanceof SQLException sql) {
            shown = sql;
        }
        String message = shown.getMessage() == null ? "" : ": " + Shown.firstLine(shown.getMessage());
        // PostgreSQL text cannot hold NUL.
        return Shown.cut(shown.getClass().getSimpleName() + message, ERROR_LIMIT).replace('\u0000', '?');
    }

    static String toJson(Map<String, Object> figures) {
        try {
            return JSON.writeValueAsString(figures);
        } catch (JsonProcessingException e) {
            return "{\"unserializable_figures\": " + JSON.valueToTree(String.valueOf(figures)) + "}";
        }
    }
}
