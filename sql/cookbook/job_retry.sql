-- Run a failed (or cancelled) job again, with all its attempts back. Workers pick it up at once.
-- Role: lamplighter_operator
--   psql "$DATABASE_URL" -v job_id=42 -f sql/cookbook/job_retry.sql
UPDATE lamplighter.jobs
SET status = 'queued', attempts = 0, run_at = now(), completed_at = NULL
WHERE job_id = :job_id
  AND status IN ('failed', 'cancelled');
