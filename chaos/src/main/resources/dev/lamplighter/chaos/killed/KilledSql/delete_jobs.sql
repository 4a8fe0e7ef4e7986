-- Forget an earlier run's jobs.
DELETE FROM lamplighter.jobs WHERE job_type = :jobType
