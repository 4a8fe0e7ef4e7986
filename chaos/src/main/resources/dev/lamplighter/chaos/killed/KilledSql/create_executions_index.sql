-- The figures look runs up by job and attempt.
CREATE INDEX IF NOT EXISTS chaos_executions_job ON public.chaos_executions (job_id, attempt)
