SELECT status, count(*) AS n FROM lamplighter.jobs WHERE job_type = :type GROUP BY status
