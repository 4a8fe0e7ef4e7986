-- Whether a schedule's hysteresis condition is on, locked until the decision commits.
-- Positional parameters: schedule name, condition name.
SELECT active, last_value
FROM lamplighter.hysteresis_state
WHERE schedule_name = CAST(? AS text)
  AND condition = CAST(? AS text)
FOR UPDATE
