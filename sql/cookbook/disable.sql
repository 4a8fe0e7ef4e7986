-- Stop checking a schedule. Jobs it already launched still run.
-- Role: lamplighter_operator
--   psql "$DATABASE_URL" -v name=epistemic_remeasurement -f sql/cookbook/disable.sql
UPDATE lamplighter.scheduled_jobs
SET enabled = false
WHERE name = :'name';
