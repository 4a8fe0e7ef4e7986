-- A worker stops: give back, in one statement, the attempts it claimed and did not finish (job id
-- and attempt, pairwise): prefetched ones that never started and running ones that did not end
-- within the drain timeout. The attempt is not counted. Only the attempts this node still owns
-- (job, attempt, owner, running). Returns the ids given back.
UPDATE lamplighter.jobs j
SET status       = 'queued',
    attempts     = greatest(j.attempts - 1, 0),
    locked_by    = NULL,
    locked_until = NULL,
    last_error   = 'released by node ' || :nodeId || ' at shutdown'
FROM unnest(CAST(:jobIds AS bigint[]), CAST(:attempts AS integer[])) AS a(job_id, attempt)
WHERE j.job_id = a.job_id
  AND j.attempts = a.attempt
  AND j.status = 'running'
  AND j.locked_by = :nodeId
RETURNING j.job_id
