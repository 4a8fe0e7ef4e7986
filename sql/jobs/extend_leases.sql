-- Heartbeat: this node still works on these attempts (job id and attempt number, pairwise).
UPDATE lamplighter.jobs j
SET locked_until = coalesce(CAST(:now AS timestamptz), now()) + CAST(:leaseMs AS bigint) * interval '1 millisecond'
FROM unnest(CAST(:jobIds AS bigint[]), CAST(:attempts AS integer[])) AS a(job_id, attempt)
WHERE j.job_id = a.job_id
  AND j.attempts = a.attempt
  AND j.status = 'running'
  AND j.locked_by = :nodeId
