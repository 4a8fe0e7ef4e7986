-- Heartbeat: this node still works on these jobs.
UPDATE lamplighter.jobs
SET locked_until = coalesce(CAST(:now AS timestamptz), now()) + CAST(:leaseMs AS bigint) * interval '1 millisecond'
WHERE job_id = ANY (CAST(:jobIds AS bigint[]))
  AND status = 'running'
  AND locked_by = :nodeId
