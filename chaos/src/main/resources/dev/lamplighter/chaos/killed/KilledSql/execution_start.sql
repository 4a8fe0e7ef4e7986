-- A handler starts: returns the execution's id.
INSERT INTO public.chaos_executions (job_id, attempt, node)
VALUES (:jobId, :attempt, :node)
RETURNING execution_id
