-- The retention cleaner: delete one batch of decision_log rows older than :retainMs before now,
-- oldest first (through decision_log_decided_at, V1). Returns how many rows it deleted.
WITH gone AS (
    DELETE FROM lamplighter.decision_log
    WHERE decision_id IN (SELECT d.decision_id
                          FROM lamplighter.decision_log d
                          WHERE d.decided_at < coalesce(CAST(:now AS timestamptz), now())
                                               - CAST(:retainMs AS bigint) * interval '1 millisecond'
                          ORDER BY d.decided_at
                          LIMIT :batch
                          FOR UPDATE SKIP LOCKED)
    RETURNING 1
)
SELECT count(*) FROM gone
