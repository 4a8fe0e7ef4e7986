SELECT count(*) FROM lamplighter.jobs
WHERE job_type = :type AND status NOT IN ('completed', 'failed', 'cancelled', 'rejected')
