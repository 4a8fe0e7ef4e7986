-- One node's row as it is before an operator's change (drain, undrain), locked until it commits.
SELECT node_id, last_seen_at, drain_requested_at, drain_requested_by, drained_at
FROM lamplighter.nodes
WHERE node_id = :nodeId
FOR UPDATE
