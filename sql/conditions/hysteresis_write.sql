-- Store a schedule's hysteresis state after a check.
-- Positional parameters: schedule name, condition name, active, last value.
INSERT INTO lamplighter.hysteresis_state (schedule_name, condition, active, last_value, updated_at)
VALUES (CAST(? AS text), CAST(? AS text), CAST(? AS boolean), CAST(? AS double precision), now())
ON CONFLICT (schedule_name, condition)
    DO UPDATE SET active = EXCLUDED.active, last_value = EXCLUDED.last_value, updated_at = now()
