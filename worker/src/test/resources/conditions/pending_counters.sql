-- Counters with work pending: a SQL condition kept in a file.
SELECT name, value - consumed AS pending
FROM lamplighter.counters
WHERE value > consumed
ORDER BY name
