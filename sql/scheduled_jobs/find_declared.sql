-- A schedule's current definition and what code last declared, locked for the registrar's merge.
SELECT name, launcher, job_type, schedule_cron,
       CAST(extract(epoch FROM schedule_interval) * 1000 AS bigint) AS interval_ms,
       time_zone, CAST(params AS text) AS params, automation, priority, max_attempts, max_retries, requires,
       CAST(extract(epoch FROM misfire_grace) * 1000 AS bigint) AS misfire_grace_ms,
       CAST(declared AS text) AS declared, next_run
FROM lamplighter.scheduled_jobs
WHERE name = :name
FOR UPDATE
