package dev.lamplighter.worker.internal.escalation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON documents the webhook receives (docs/admin.md, "Escalation", lists their fields). Each
 * has an {@code event}, the fields of its kind, the {@code node} that sent it, the SQL an operator
 * runs next, and a {@code text} line, so that a chat's incoming webhook shows something readable
 * as it is. Values the row could not give (it was not readable) are null.
 */
final class Messages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Messages() {
    }

    /** A schedule disabled after its retries; {@code row} is its row now (empty when unreadable). */
    static String scheduleDisabled(String schedule, String error, Map<String, Object> row, String nodeId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", "schedule_disabled");
        m.put("schedule", schedule);
        m.put("launcher", row.get("launcher"));
        m.put("job_type", row.get("job_type"));
        String lastError = row.get("last_error") != null ? String.valueOf(row.get("last_error")) : error;
        m.put("last_error", lastError);
        m.put("retry_count", row.get("retry_count"));
        m.put("max_retries", row.get("max_retries"));
        m.put("disabled_at", instant(row.get("disabled_at")));
        m.put("node", nodeId);
        String sql = "UPDATE lamplighter.scheduled_jobs SET enabled = true, retry_count = 0 WHERE name = "
                + literal(schedule);
        m.put("re_enable_sql", sql);
        m.put("text", "Lamplighter: schedule " + schedule + " was disabled after "
                + (row.get("retry_count") == null ? "its" : row.get("retry_count")) + " failed checks"
                + (lastError == null ? "" : " (last error: " + lastError + ")") + ". Fix the cause, then: " + sql + ";");
        return write(m);
    }

    /**
     * Jobs of one type that failed for good: {@code failures} of them since the last message of
     * the type, {@code jobId} the last; {@code row} is that job's row (empty when unreadable).
     */
    static String jobFailed(String jobType, long jobId, int failures, Duration interval, Map<String, Object> row,
                            String nodeId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", "job_failed");
        m.put("job_type", jobType);
        m.put("job_id", jobId);
        m.put("schedule", row.get("schedule_name"));
        m.put("attempts", row.get("attempts"));
        m.put("max_attempts", row.get("max_attempts"));
        m.put("last_error", row.get("last_error"));
        m.put("failed_at", instant(row.get("completed_at")));
        m.put("failures", failures);
        m.put("interval_seconds", interval.toSeconds());
        m.put("node", nodeId);
        String sql = "SELECT job_id, attempts, completed_at, last_error FROM lamplighter.jobs WHERE job_type = "
                + literal(jobType) + " AND status = 'failed' ORDER BY job_id DESC LIMIT 20";
        m.put("failures_sql", sql);
        m.put("text", "Lamplighter: " + (failures == 1 ? "job " + jobId + " (" + jobType + ") failed for good"
                : failures + " jobs of " + jobType + " failed for good, the last " + jobId)
                + (row.get("last_error") == null ? "" : " (last error: " + row.get("last_error") + ")")
                + ". See: " + sql + ";");
        return write(m);
    }

    /** A SQL string literal: quotes doubled. */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String instant(Object value) {
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant().toString();
        }
        if (value instanceof OffsetDateTime t) {
            return t.toInstant().toString();
        }
        return value == null ? null : String.valueOf(value);
    }

    private static String write(Map<String, Object> message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the escalation message", e);
        }
    }
}
