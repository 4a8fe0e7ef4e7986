-- Drain a node: it stops checking schedules and claiming jobs, gives back its prefetched jobs,
-- lets the running ones finish, then sets drained_at. Draining a draining node keeps the first
-- request's time. The row's trigger sends NOTIFY lamplighter_cluster, 'drain:<node_id>'.
UPDATE lamplighter.nodes
SET drain_requested_at = coalesce(drain_requested_at, coalesce(CAST(:now AS timestamptz), now())),
    drain_requested_by = :requestedBy
WHERE node_id = :nodeId
RETURNING node_id, drain_requested_at, drain_requested_by, drained_at
