-- A job completed: the counter values it carried (jobs.consumes) are consumed, in the same
-- transaction as the completion. consumed never moves backwards.
UPDATE lamplighter.counters c
SET consumed   = greatest(c.consumed, CAST(j.consumes ->> c.name AS bigint)),
    updated_at = now()
FROM lamplighter.jobs j
WHERE j.job_id = :jobId
  AND c.name IN (SELECT jsonb_object_keys(j.consumes))
