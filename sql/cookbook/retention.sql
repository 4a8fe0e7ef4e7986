-- What the retention cleaner would delete now, with the default windows (completed jobs 7 days,
-- failed, cancelled and rejected jobs 30 days, decision-log rows 30 days; change the intervals
-- below to your LAMPLIGHTER_RETAIN_* settings), and the finished rows it never deletes because
-- their completed_at is empty (written by hand). Reads only; to delete by hand, see
-- retention_delete.sql.
-- Role: lamplighter_reader
--   psql "$DATABASE_URL" -f sql/cookbook/retention.sql
SELECT 'jobs' AS rows_of, status AS kind, count(*) AS past_window, min(completed_at) AS oldest
FROM lamplighter.jobs
WHERE (status = 'completed' AND completed_at < now() - interval '7 days')
   OR (status IN ('failed', 'cancelled', 'rejected') AND completed_at < now() - interval '30 days')
GROUP BY status
UNION ALL
SELECT 'decision_log', 'all', count(*), min(decided_at)
FROM lamplighter.decision_log
WHERE decided_at < now() - interval '30 days'
ORDER BY rows_of, kind;

-- Finished jobs the cleaner keeps for want of a completed_at.
SELECT status, count(*) AS without_completed_at
FROM lamplighter.jobs
WHERE status IN ('completed', 'failed', 'cancelled', 'rejected')
  AND completed_at IS NULL
GROUP BY status;
