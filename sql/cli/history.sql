-- The CLI's `history`: recent jobs, newest first (highest job_id: the order they were added in),
-- read backwards from the primary key; `history --schedule` is cli/history_of_schedule.sql.
SELECT job_id, job_type, status, schedule_name, job_source, attempts, max_attempts, created_at,
       completed_at, last_error
FROM lamplighter.jobs
ORDER BY job_id DESC
LIMIT :limit
