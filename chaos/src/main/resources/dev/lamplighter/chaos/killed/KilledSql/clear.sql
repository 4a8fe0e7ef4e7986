-- Forget an earlier run.
TRUNCATE public.chaos_executions, public.chaos_worker_starts, public.chaos_rescues
