-- What is failing: schedules whose launcher failed (retrying or disabled), then jobs that failed
-- for good, with their errors.
-- Role: lamplighter_reader
--   psql "$DATABASE_URL" -v limit=20 -f sql/cookbook/failures.sql
SELECT name, enabled, retry_count, max_retries, last_run, next_run, last_error
FROM lamplighter.scheduled_jobs
WHERE retry_count > 0
   OR (NOT enabled AND last_outcome = 'failed')
ORDER BY last_run DESC NULLS LAST;

SELECT job_id, job_type, schedule_name, attempts, max_attempts, completed_at, last_error
FROM lamplighter.jobs
WHERE status = 'failed'
ORDER BY completed_at DESC NULLS LAST
LIMIT :limit;
