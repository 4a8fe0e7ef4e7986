-- Reject a job that waits for a human. It never runs; the schedule can launch again at its next check.
-- Role: lamplighter_operator
--   psql "$DATABASE_URL" -v job_id=42 -f sql/cookbook/reject.sql
UPDATE lamplighter.jobs
SET status = 'rejected', completed_at = now(), last_error = 'rejected by ' || current_user
WHERE job_id = :job_id
  AND status = 'awaiting_approval';
