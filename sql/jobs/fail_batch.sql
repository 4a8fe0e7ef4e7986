-- Failed attempts of a batch (job id, attempt, error, retry delay in ms, pairwise): each job goes
-- back to the queue after its delay while attempts remain, else fails for good; the error is kept
-- either way. Each row is a compare-and-set on the attempt this node claimed (job, attempt, owner,
-- running), as in fail_attempt.sql: retrying a batch whose earlier try committed changes nothing,
-- and an attempt taken back from this node cannot be failed by it. Returns, for each row it
-- changed, the job id, the new status and run_at.
-- Each job's own values are looked up in the arrays by its position there (array_position), not
-- joined: the statement reads the batch's rows through the primary key (= ANY) whatever the
-- statistics say. (IS TRUE below is the same test as = 'running', but one that no partial index
-- of running rows matches.) With statistics from an idle queue, a join once scanned every running
-- row of the node once per id, or rescanned the arrays once per row (BatchWritePlanTest).
UPDATE lamplighter.jobs j
SET status       = CASE WHEN j.attempts < j.max_attempts THEN 'queued' ELSE 'failed' END,
    run_at       = CASE WHEN j.attempts < j.max_attempts
                        THEN coalesce(CAST(:now AS timestamptz), now())
                             + (CAST(:retryMs AS bigint[]))[array_position(CAST(:jobIds AS bigint[]), j.job_id)]
                               * interval '1 millisecond'
                        ELSE j.run_at END,
    completed_at = CASE WHEN j.attempts < j.max_attempts THEN NULL ELSE coalesce(CAST(:now AS timestamptz), now()) END,
    last_error   = (CAST(:errors AS text[]))[array_position(CAST(:jobIds AS bigint[]), j.job_id)],
    locked_by    = NULL,
    locked_until = NULL
WHERE j.job_id = ANY (CAST(:jobIds AS bigint[]))
  AND j.attempts = (CAST(:attempts AS integer[]))[array_position(CAST(:jobIds AS bigint[]), j.job_id)]
  AND j.locked_by = :nodeId
  AND (j.status = 'running') IS TRUE
RETURNING j.job_id, j.status, j.run_at
