-- The retention cleaner: delete one batch of finished jobs of one status whose completed_at is
-- older than the status's window (:retainMs) before now, oldest first. Rows locked by someone
-- else (an operator retrying a failed job) are skipped, not waited for; a row that changed status
-- before it was locked is re-checked and left alone. The literal status list makes the partial
-- index jobs_finished (V9) usable by a generic plan too. Returns how many rows it deleted.
WITH gone AS (
    DELETE FROM lamplighter.jobs
    WHERE job_id IN (SELECT f.job_id
                     FROM lamplighter.jobs f
                     WHERE f.status = :status
                       AND f.status IN ('completed', 'failed', 'cancelled', 'rejected')
                       AND f.completed_at < coalesce(CAST(:now AS timestamptz), now())
                                            - CAST(:retainMs AS bigint) * interval '1 millisecond'
                     ORDER BY f.completed_at
                     LIMIT :batch
                     FOR UPDATE SKIP LOCKED)
    RETURNING 1
)
SELECT count(*) FROM gone
