-- Check a schedule now instead of at its next slot. The launcher still decides: if there is no
-- work, the check is recorded as a skip. A running node reacts at once (the change sends NOTIFY).
-- Role: lamplighter_operator
--   psql "$DATABASE_URL" -v name=epistemic_remeasurement -f sql/cookbook/trigger.sql
UPDATE lamplighter.scheduled_jobs
SET next_run = NOW()
WHERE name = :'name';
