-- A node leaves cleanly.
DELETE FROM lamplighter.nodes WHERE node_id = :nodeId
