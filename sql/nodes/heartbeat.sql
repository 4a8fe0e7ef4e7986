-- A node is still up.
UPDATE lamplighter.nodes SET last_seen_at = coalesce(CAST(:now AS timestamptz), now()) WHERE node_id = :nodeId
