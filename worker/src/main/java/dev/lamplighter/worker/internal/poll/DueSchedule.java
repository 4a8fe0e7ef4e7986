package dev.lamplighter.worker.internal.poll;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/** A schedule row taken for a check (sql/scheduled_jobs/lock_due.sql). */
record DueSchedule(String name, String launcher, String jobType, String cron, Duration interval,
                   String timeZone, Instant slot, Instant lastSuccess, int retryCount, int maxRetries,
                   String paramsJson, String automation, int priority, int maxAttempts, Instant now,
                   dev.lamplighter.TriggerSource triggerSource, java.util.List<String> requires) {

    static DueSchedule map(ResultSet rs) throws SQLException {
        long intervalMs = rs.getLong("interval_ms");
        Duration interval = rs.wasNull() ? null : Duration.ofMillis(intervalMs);
        return new DueSchedule(rs.getString("name"), rs.getString("launcher"), rs.getString("job_type"),
                rs.getString("schedule_cron"), interval, rs.getString("time_zone"), instant(rs, "slot"),
                instant(rs, "last_success"), rs.getInt("retry_count"), rs.getInt("max_retries"),
                rs.getString("params"), rs.getString("automation"), rs.getInt("priority"),
                rs.getInt("max_attempts"), instant(rs, "now"), source(rs.getString("pending_trigger")),
                java.util.List.of((String[]) rs.getArray("requires").getArray()));
    }

    private static dev.lamplighter.TriggerSource source(String pending) {
        return pending == null ? dev.lamplighter.TriggerSource.CRON
                : dev.lamplighter.TriggerSource.valueOf(pending.toUpperCase(java.util.Locale.ROOT));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
