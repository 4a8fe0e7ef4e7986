SELECT count(*) FROM lamplighter.jobs WHERE job_type = :type AND status = 'completed'
