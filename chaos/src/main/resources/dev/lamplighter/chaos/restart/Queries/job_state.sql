SELECT status, attempts, last_error FROM lamplighter.jobs WHERE job_id = :id
