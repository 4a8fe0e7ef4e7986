-- Lamplighter schema, version 9: an index for the retention cleaner.
--
-- The cleaner (worker/.../internal/retention/RetentionCleaner) deletes finished jobs whose
-- completed_at is past their status's retention window, oldest first, a bounded batch per
-- transaction (sql/retention/delete_jobs.sql). This index lets each batch read exactly the oldest
-- rows of one status in completed_at order and stop at the batch size, instead of scanning the
-- whole history. It holds finished rows only; the claim, the rescuer and the one-instance check
-- read their own partial indexes on queued, running and active rows, which finished rows never
-- enter, so a long history does not slow them. decision_log is cleaned through
-- decision_log_decided_at (V1).
CREATE INDEX jobs_finished ON lamplighter.jobs (status, completed_at)
    WHERE status IN ('completed', 'failed', 'cancelled', 'rejected');
