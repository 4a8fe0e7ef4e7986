-- Make a schedule due now, as an operator's "UPDATE ... SET next_run = NOW()" does. The launcher
-- still checks its conditions. Positional parameters: now (null: the database's clock), name.
UPDATE lamplighter.scheduled_jobs
SET next_run = coalesce(CAST(? AS timestamptz), now())
WHERE name = CAST(? AS text)
