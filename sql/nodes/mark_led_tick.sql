-- The node that held the tick lock records that it led this tick.
UPDATE lamplighter.nodes
SET last_led_tick_at = coalesce(CAST(:now AS timestamptz), now()),
    last_seen_at     = coalesce(CAST(:now AS timestamptz), now())
WHERE node_id = :nodeId
