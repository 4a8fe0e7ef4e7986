-- Resume the cluster: every node checks schedules and claims jobs again at once (NOTIFY
-- lamplighter_cluster), or at its next heartbeat without LISTEN. The trigger clears reason,
-- paused_by and paused_at.
INSERT INTO lamplighter.cluster_state AS c (id, paused)
VALUES (true, false)
ON CONFLICT (id) DO UPDATE
SET paused = false
RETURNING paused, reason, paused_by, paused_at
