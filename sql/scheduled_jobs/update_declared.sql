-- Apply a merged declaration: the registrar passes, per column, either the new declared value
-- (the operator had not changed it) or the current one (the operator's change wins).
UPDATE lamplighter.scheduled_jobs
SET launcher          = :launcher,
    job_type          = :jobType,
    schedule_cron     = :cron,
    schedule_interval = CAST(:intervalMs AS bigint) * interval '1 millisecond',
    time_zone         = :timeZone,
    params            = CAST(:params AS jsonb),
    automation        = :automation,
    priority          = :priority,
    max_attempts      = :maxAttempts,
    max_retries       = :maxRetries,
    requires          = CAST(:requires AS text[]),
    misfire_grace     = CAST(:misfireGraceMs AS bigint) * interval '1 millisecond',
    next_run          = least(next_run, :nextRun),
    declared          = CAST(:declared AS jsonb)
WHERE name = :name
