-- GET /api/jobs: jobs newest first, each filter optional (null: any). Paging: before is the
-- smallest job_id of the previous page, so a page never repeats or skips a row while new jobs
-- arrive. The payload and result are left out of the list (GET /api/jobs/{id} has them).
SELECT job_id, job_type, status, schedule_name, job_source, priority, run_at, attempts,
       max_attempts, locked_by, created_at, started_at, completed_at, last_error
FROM lamplighter.jobs
WHERE (CAST(:status AS text) IS NULL OR status = CAST(:status AS text))
  AND (CAST(:schedule AS text) IS NULL OR schedule_name = CAST(:schedule AS text))
  AND (CAST(:type AS text) IS NULL OR job_type = CAST(:type AS text))
  AND (CAST(:before AS bigint) IS NULL OR job_id < CAST(:before AS bigint))
ORDER BY job_id DESC
LIMIT :limit
