-- The program's jobs with the given status.
SELECT count(*) FROM lamplighter.jobs WHERE job_type = :jobType AND status = :status
