-- What became of a job's attempt: after a completion write that was retried, tells whether an
-- earlier try had committed (status 'completed' at the same attempt) before its connection broke.
SELECT status, attempts
FROM lamplighter.jobs
WHERE job_id = :jobId
