SELECT job_id, status, attempts, last_error FROM lamplighter.jobs WHERE job_type = :type ORDER BY job_id
