-- After a failure batch that was retried: which of these attempts (job id, attempt, error,
-- pairwise) an earlier try had already failed before its connection broke (the client never saw
-- the commit). Such a row is no longer running, still at the same attempt, and holds that error.
-- Returns the job id, status and run_at of each.
SELECT j.job_id, j.status, j.run_at
FROM unnest(CAST(:jobIds AS bigint[]), CAST(:attempts AS integer[]), CAST(:errors AS text[]))
         AS b(job_id, attempt, error)
JOIN lamplighter.jobs j ON j.job_id = b.job_id
WHERE j.attempts = b.attempt
  AND j.status IN ('queued', 'failed')
  AND j.locked_by IS NULL
  AND j.last_error = b.error
