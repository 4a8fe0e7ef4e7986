-- Count changes. Positional parameters: counter name, by (1 or more). Returns the new value.
SELECT lamplighter.bump_counter(CAST(? AS text), CAST(? AS bigint))
