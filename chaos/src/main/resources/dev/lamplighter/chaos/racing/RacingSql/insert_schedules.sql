-- :count interval schedules race-00001 ... of the launcher that always launches; schedule i runs
-- every :stepMs * (1 + i % :spread) ms, first due at :firstRun (the database's now() when null).
INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_interval, next_run, max_attempts)
SELECT 'race-' || lpad(CAST(i AS text), 5, '0'), :launcher, :jobType,
       CAST(:stepMs AS bigint) * (1 + i % CAST(:spread AS int)) * interval '1 millisecond',
       coalesce(CAST(:firstRun AS timestamptz), now()), 1
FROM generate_series(1, CAST(:count AS int)) AS i
