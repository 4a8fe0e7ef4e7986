-- For each schedule in :names, its job that is still waiting or running, if any (one instance per
-- schedule); the batched form of jobs/find_active_for_schedule.sql for a chunk of checks.
SELECT DISTINCT ON (schedule_name) schedule_name, job_id, status
FROM lamplighter.jobs
WHERE schedule_name = ANY (CAST(:names AS text[]))
  AND status IN ('awaiting_approval', 'queued', 'running')
ORDER BY schedule_name, job_id
