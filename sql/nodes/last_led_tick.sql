-- The cluster's last led tick: when some node last held the poll loop's lock and checked the due
-- schedules (Lamplighter.lastTick()).
SELECT max(last_led_tick_at) AS last_led_tick_at
FROM lamplighter.nodes
