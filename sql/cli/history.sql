-- The CLI's `history`: recent jobs, newest first, optionally of one schedule.
SELECT job_id, job_type, status, schedule_name, job_source, attempts, max_attempts, created_at,
       completed_at, last_error
FROM lamplighter.jobs
WHERE CAST(:schedule AS text) IS NULL OR schedule_name = CAST(:schedule AS text)
ORDER BY created_at DESC, job_id DESC
LIMIT :limit
