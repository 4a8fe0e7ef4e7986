-- A handler is about to return.
UPDATE public.chaos_executions SET finished_at = clock_timestamp() WHERE execution_id = :id
