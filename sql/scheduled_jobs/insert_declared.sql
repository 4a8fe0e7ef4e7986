-- Register a schedule declared in code if no row has its name yet. An existing row is left alone
-- here; the registrar then merges changed declarations column by column.
INSERT INTO lamplighter.scheduled_jobs
    (name, launcher, job_type, schedule_cron, schedule_interval, time_zone, enabled, next_run,
     params, automation, priority, max_attempts, max_retries, requires, misfire_grace, declared)
VALUES
    (:name, :launcher, :jobType, :cron, CAST(:intervalMs AS bigint) * interval '1 millisecond', :timeZone, :enabled,
     :nextRun, CAST(:params AS jsonb), :automation, :priority, :maxAttempts, :maxRetries, CAST(:requires AS text[]),
     CAST(:misfireGraceMs AS bigint) * interval '1 millisecond', CAST(:declared AS jsonb))
ON CONFLICT (name) DO NOTHING
