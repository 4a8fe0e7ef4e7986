-- The state behind the built-in conditions: change counters (pending = value - consumed), epochs
-- and what each schedule last claimed, and hysteresis on/off per schedule.
-- Role: lamplighter_reader
--   psql "$DATABASE_URL" -f sql/cookbook/conditions.sql
SELECT name, value, consumed, value - consumed AS pending, updated_at
FROM lamplighter.counters
ORDER BY name;

SELECT c.schedule_name, c.epoch_name, e.value AS epoch, c.claimed, e.value - c.claimed AS delta, c.claimed_at
FROM lamplighter.epoch_claims c
LEFT JOIN lamplighter.epochs e ON e.name = c.epoch_name
ORDER BY c.schedule_name, c.epoch_name;

SELECT schedule_name, condition, active, last_value, updated_at
FROM lamplighter.hysteresis_state
ORDER BY schedule_name, condition;
