-- Make a schedule due now, as an operator's "UPDATE ... SET next_run = NOW()" does, and say why
-- ('event' from application code, 'manual' from an operator). The launcher still checks its
-- conditions. Positional parameters: now (null: the database's clock), trigger source, name.
UPDATE lamplighter.scheduled_jobs
SET next_run = coalesce(CAST(? AS timestamptz), now()),
    pending_trigger = CAST(? AS text)
WHERE name = CAST(? AS text)
