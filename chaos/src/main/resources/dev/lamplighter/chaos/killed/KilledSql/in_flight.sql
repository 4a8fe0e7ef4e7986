-- The jobs a (dead) node holds: its attempts in flight when it died.
SELECT job_id FROM lamplighter.jobs WHERE job_type = :jobType AND status = 'running' AND locked_by = :node
