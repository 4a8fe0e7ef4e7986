-- Recent jobs launched by schedules, newest first.
-- Role: lamplighter_reader
--   psql "$DATABASE_URL" -v limit=10 -f sql/cookbook/history.sql
SELECT job_id, job_type, status, created_at, completed_at
FROM lamplighter.jobs
WHERE is_system_job = true
  AND job_source = 'scheduled_task'
ORDER BY created_at DESC
LIMIT :limit;
