-- Of the live workers :nodes, the one with the most jobs in flight (claimed, running or waiting
-- in its prefetch buffer), with how many; nothing when none has any.
SELECT locked_by AS node, count(*) AS in_flight
FROM lamplighter.jobs
WHERE job_type = :jobType
  AND status = 'running'
  AND locked_by = ANY (CAST(:nodes AS text[]))
GROUP BY locked_by
ORDER BY in_flight DESC, locked_by
LIMIT 1
