-- Apply a merged declaration: per column, the new declared value (the operator had not changed
-- it) or the current one (the operator's change wins), and what code declares now.
UPDATE lamplighter.job_types
SET max_running = :maxRunning,
    exclusive   = :exclusive,
    declared    = CAST(:declared AS jsonb)
WHERE job_type = :jobType
