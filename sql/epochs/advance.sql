-- Advance an epoch. Positional parameters: epoch name, by (1 or more). Returns the new value.
SELECT lamplighter.advance_epoch(CAST(? AS text), CAST(? AS bigint))
