-- Approve a job that waits for a human (schedules with automation = 'hitl'). Workers pick it up
-- at once (the change sends NOTIFY).
-- Role: lamplighter_operator
--   psql "$DATABASE_URL" -v job_id=42 -f sql/cookbook/approve.sql
-- List what waits:  SELECT job_id, job_type, schedule_name, payload, created_at
--                   FROM lamplighter.jobs WHERE status = 'awaiting_approval' ORDER BY job_id;
UPDATE lamplighter.jobs
SET status = 'queued', run_at = now()
WHERE job_id = :job_id
  AND status = 'awaiting_approval';
