-- A change counter's value and what succeeded jobs have consumed (no row: both 0).
-- Positional parameter: counter name.
SELECT coalesce(max(value), 0) AS value, coalesce(max(consumed), 0) AS consumed
FROM lamplighter.counters
WHERE name = CAST(? AS text)
