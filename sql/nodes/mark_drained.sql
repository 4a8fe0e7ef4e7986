-- A node asked to drain runs nothing any more: it says so (once; a later call keeps the first time).
UPDATE lamplighter.nodes
SET drained_at = coalesce(drained_at, coalesce(CAST(:now AS timestamptz), now()))
WHERE node_id = :nodeId
  AND drain_requested_at IS NOT NULL
