-- Undrain a node: it checks schedules and claims jobs again at once (NOTIFY), or at its next
-- heartbeat without LISTEN.
UPDATE lamplighter.nodes
SET drain_requested_at = NULL, drain_requested_by = NULL, drained_at = NULL
WHERE node_id = :nodeId
RETURNING node_id, drain_requested_at, drain_requested_by, drained_at
