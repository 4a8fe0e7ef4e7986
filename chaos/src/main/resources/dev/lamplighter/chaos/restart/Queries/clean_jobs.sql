DELETE FROM lamplighter.jobs WHERE job_type = :type OR schedule_name LIKE :prefix || '%'
