-- Pause the cluster: no node checks a schedule, no worker claims a job; running jobs finish.
-- Pausing a paused cluster replaces the reason and who asked, and keeps since when it is paused.
-- The row's trigger sends NOTIFY lamplighter_cluster. :now is null in production (the database clock).
INSERT INTO lamplighter.cluster_state AS c (id, paused, reason, paused_by, paused_at)
VALUES (true, true, :reason, :pausedBy, coalesce(CAST(:now AS timestamptz), now()))
ON CONFLICT (id) DO UPDATE
SET paused    = true,
    reason    = EXCLUDED.reason,
    paused_by = EXCLUDED.paused_by,
    paused_at = CASE WHEN c.paused THEN c.paused_at ELSE EXCLUDED.paused_at END
RETURNING paused, reason, paused_by, paused_at
