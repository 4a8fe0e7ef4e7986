-- A worker stops: give back, in one statement, the attempts it claimed and did not finish (job id
-- and attempt, pairwise): prefetched ones that never started and running ones that did not end
-- within the drain timeout. The attempt is not counted. Only the attempts this node still owns
-- (job, attempt, owner, running). Returns the ids given back.
-- Each job's own values are looked up in the arrays by its position there (array_position), not
-- joined: the statement reads the batch's rows through the primary key (= ANY) whatever the
-- statistics say. (IS TRUE below is the same test as = 'running', but one that no partial index
-- of running rows matches.) With statistics from an idle queue, a join once scanned every running
-- row of the node once per id, or rescanned the arrays once per row (BatchWritePlanTest).
UPDATE lamplighter.jobs j
SET status       = 'queued',
    attempts     = greatest(j.attempts - 1, 0),
    locked_by    = NULL,
    locked_until = NULL,
    last_error   = 'released by node ' || :nodeId || ' at shutdown'
WHERE j.job_id = ANY (CAST(:jobIds AS bigint[]))
  AND j.attempts = (CAST(:attempts AS integer[]))[array_position(CAST(:jobIds AS bigint[]), j.job_id)]
  AND (j.status = 'running') IS TRUE
  AND j.locked_by = :nodeId
RETURNING j.job_id
