-- What a node must obey, read at start, at each heartbeat and on NOTIFY lamplighter_cluster (never
-- per claim): the cluster's pause, and whether this node was asked to drain.
SELECT coalesce(c.paused, false) AS paused, c.reason, c.paused_by, c.paused_at,
       (SELECT n.drain_requested_at FROM lamplighter.nodes n WHERE n.node_id = :nodeId) AS drain_requested_at,
       (SELECT n.drained_at FROM lamplighter.nodes n WHERE n.node_id = :nodeId) AS drained_at
FROM (VALUES (true)) AS one (id)
LEFT JOIN lamplighter.cluster_state c ON c.id = one.id
