-- Before an approve, reject, retry or cancel through the admin API: lock the job's row for the
-- rest of the transaction (a worker's claim skips it) and read its status. No row: no such job.
SELECT job_id, job_type, status, schedule_name, attempts, max_attempts
FROM lamplighter.jobs
WHERE job_id = :job_id
FOR UPDATE
