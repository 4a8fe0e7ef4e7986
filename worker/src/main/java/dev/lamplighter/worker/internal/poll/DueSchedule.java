package dev.lamplighter.worker.internal.poll;

import dev.lamplighter.TriggerSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A schedule row taken for a check (sql/scheduled_jobs/lock_due.sql), as stored: the columns an
 * operator can break (cron, zone, params) are read as text here and parsed inside the check, so
 * that a bad value is that schedule's failure, never the tick's.
 *
 * @param misfireGrace null means no limit
 */
record DueSchedule(String name, String launcher, String jobType, String cron, Duration interval,
                   String timeZone, Instant slot, Instant lastSuccess, int retryCount, int maxRetries,
                   String paramsJson, String automation, int priority, int maxAttempts, Instant now,
                   TriggerSource triggerSource, List<String> requires, Duration misfireGrace, String lastError) {

    static DueSchedule map(ResultSet rs) throws SQLException {
        return new DueSchedule(rs.getString("name"), rs.getString("launcher"), rs.getString("job_type"),
                rs.getString("schedule_cron"), millis(rs, "interval_ms"), rs.getString("time_zone"), instant(rs, "slot"),
                instant(rs, "last_success"), rs.getInt("retry_count"), rs.getInt("max_retries"),
                rs.getString("params"), rs.getString("automation"), rs.getInt("priority"),
                rs.getInt("max_attempts"), instant(rs, "now"), source(rs.getString("pending_trigger")),
                List.of((String[]) rs.getArray("requires").getArray()), millis(rs, "misfire_grace_ms"),
                rs.getString("last_error"));
    }

    static TriggerSource source(String pending) {
        return pending == null ? TriggerSource.CRON : TriggerSource.valueOf(pending.toUpperCase(Locale.ROOT));
    }

    static Duration millis(ResultSet rs, String column) throws SQLException {
        long ms = rs.getLong(column);
        return rs.wasNull() ? null : Duration.ofMillis(ms);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    /** " (event trigger)" or "" for the timetable, for log lines. */
    String sourceNote() {
        return triggerSource == TriggerSource.CRON ? "" : " (" + triggerSource.dbValue() + " trigger)";
    }
}
