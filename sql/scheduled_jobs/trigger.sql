-- Make a schedule due now, as an operator's "UPDATE ... SET next_run = NOW()" does, and say why
-- ('event' from application code, 'manual' from the CLI or an operator). The launcher still checks
-- its conditions. The statement marks its transaction with lamplighter.origin = 'trigger', so the
-- row trigger keeps the source written here instead of calling the change manual (V5), however
-- often and from however many connections the schedule is triggered before its check.
-- Positional parameters: now (null: the database's clock), trigger source, name.
UPDATE lamplighter.scheduled_jobs
SET next_run = coalesce(CAST(? AS timestamptz), now()),
    pending_trigger = CAST(? AS text)
FROM (SELECT set_config('lamplighter.origin', 'trigger', true) AS origin) AS marked
WHERE name = CAST(? AS text)
  AND marked.origin = 'trigger'
