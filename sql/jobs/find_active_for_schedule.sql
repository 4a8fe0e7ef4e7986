-- A schedule's job that is still waiting or running, if any (one instance per schedule).
SELECT job_id, status
FROM lamplighter.jobs
WHERE schedule_name = :name
  AND status IN ('awaiting_approval', 'queued', 'running')
ORDER BY job_id
LIMIT 1
