-- Handlers returned: store the results of a batch of attempts (job id, attempt, result, pairwise)
-- and consume the counter values the completed jobs carried (jobs.consumes), in one statement and
-- so in one transaction. Each row is a compare-and-set on the attempt this node claimed (job,
-- attempt, owner, running), as in complete.sql: retrying a batch is safe, and an attempt taken
-- back from this node cannot be completed by it. Jobs without consumes touch no counter; two jobs
-- of a batch that consume the same counter move it to the larger value. Returns the completed ids.
-- Each job's own values are looked up in the arrays by its position there (array_position), not
-- joined: the statement reads the batch's rows through the primary key (= ANY) whatever the
-- statistics say. (IS TRUE below is the same test as = 'running', but one that no partial index
-- of running rows matches.) With statistics from an idle queue, a join once scanned every running
-- row of the node once per id, or rescanned the arrays once per row (BatchWritePlanTest).
WITH done AS (
    UPDATE lamplighter.jobs j
    SET status       = 'completed',
        result       = CAST((CAST(:results AS text[]))[array_position(CAST(:jobIds AS bigint[]), j.job_id)] AS jsonb),
        completed_at = coalesce(CAST(:now AS timestamptz), now()),
        locked_by    = NULL,
        locked_until = NULL,
        last_error   = NULL
    WHERE j.job_id = ANY (CAST(:jobIds AS bigint[]))
      AND j.attempts = (CAST(:attempts AS integer[]))[array_position(CAST(:jobIds AS bigint[]), j.job_id)]
      AND j.locked_by = :nodeId
      AND (j.status = 'running') IS TRUE
    RETURNING j.job_id, j.consumes
), consumed AS (
    UPDATE lamplighter.counters c
    SET consumed   = greatest(c.consumed, m.value),
        updated_at = coalesce(CAST(:now AS timestamptz), now())
    FROM (SELECT k.key AS name, max(CAST(k.value AS bigint)) AS value
          FROM done, jsonb_each_text(done.consumes) AS k
          WHERE done.consumes IS NOT NULL
          GROUP BY k.key) AS m
    WHERE c.name = m.name
)
SELECT job_id FROM done
