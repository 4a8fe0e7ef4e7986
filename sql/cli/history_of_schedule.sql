-- The CLI's `history --schedule`: one schedule's recent jobs, newest first (highest job_id), read
-- from jobs_schedule_history, which holds only jobs that have a schedule.
SELECT job_id, job_type, status, schedule_name, job_source, attempts, max_attempts, created_at,
       completed_at, last_error
FROM lamplighter.jobs
WHERE schedule_name = :schedule
ORDER BY job_id DESC
LIMIT :limit
