-- What a failed-job escalation says about the job, read after its last attempt's outcome committed.
-- The payload and result stay out: they may hold what a chat channel must not see.
SELECT job_id, job_type, status, schedule_name, attempts, max_attempts, last_error, completed_at
FROM lamplighter.jobs
WHERE job_id = :jobId
