-- GET /api/jobs/{id}, and the job as it is after a change: every column but the dedup key.
SELECT job_id, job_type, status, schedule_name, job_source, is_system_job, priority, run_at,
       attempts, max_attempts, locked_by, locked_until, created_at, started_at, completed_at,
       last_error, payload, result
FROM lamplighter.jobs
WHERE job_id = :job_id
