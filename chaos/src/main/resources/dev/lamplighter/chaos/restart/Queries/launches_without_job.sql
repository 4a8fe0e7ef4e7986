SELECT count(*) FROM lamplighter.decision_log d
WHERE d.outcome = 'launched' AND d.schedule_name LIKE :prefix || '%'
  AND NOT EXISTS (SELECT 1 FROM lamplighter.jobs j WHERE j.job_id = d.job_id)
