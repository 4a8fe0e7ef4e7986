-- Lamplighter schema, version 9: an index for the retention cleaner.
--
-- The cleaner (worker/.../internal/retention/RetentionCleaner) deletes finished jobs whose
-- completed_at is past their status's retention window, oldest first, a bounded batch per
-- transaction (sql/retention/delete_jobs.sql). This index lets each batch read exactly the oldest
-- rows of one status in completed_at order and stop at the batch size, instead of scanning the
-- whole history. It holds finished rows only; the claim, the rescuer and the one-instance check
-- read their own partial indexes on queued, running and active rows, which finished rows never
-- enter. decision_log is cleaned through
-- decision_log_decided_at (V1).
--
-- Built inside the migration's transaction, the index blocks writes to jobs while it reads the
-- table once (seconds per million rows). On a large jobs table create it beforehand without
-- blocking, with the same definition, and this migration leaves it as it is:
--   CREATE INDEX CONCURRENTLY IF NOT EXISTS jobs_finished ON lamplighter.jobs (status, completed_at)
--       WHERE status IN ('completed', 'failed', 'cancelled', 'rejected');
CREATE INDEX IF NOT EXISTS jobs_finished ON lamplighter.jobs (status, completed_at)
    WHERE status IN ('completed', 'failed', 'cancelled', 'rejected');
