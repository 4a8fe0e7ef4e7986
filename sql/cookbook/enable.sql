-- Enable a schedule again, also after it disabled itself on max retries. Resetting retry_count
-- gives the launcher its full set of retries back. A schedule disabled by failures is due at once.
-- Role: lamplighter_operator
--   psql "$DATABASE_URL" -v name=epistemic_remeasurement -f sql/cookbook/enable.sql
UPDATE lamplighter.scheduled_jobs
SET enabled = true, retry_count = 0
WHERE name = :'name';
