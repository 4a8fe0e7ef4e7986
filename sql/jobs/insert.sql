-- Enqueue one job. Used by the client and by the poll loop (inside the decision's transaction).
-- Positional parameters: job_type, status, payload, schedule_name, is_system_job, job_source,
-- priority, run_at (null: now), max_attempts, dedup_key (null: none), consumes (null: none),
-- timeout_ms (null: the handler's or the node's default).
-- A dedup key that already exists inserts nothing and returns no row.
INSERT INTO lamplighter.jobs
    (job_type, status, payload, schedule_name, is_system_job, job_source, priority, run_at,
     max_attempts, dedup_key, consumes, timeout_ms)
VALUES
    (CAST(? AS text), CAST(? AS text), CAST(? AS jsonb), CAST(? AS text), CAST(? AS boolean),
     CAST(? AS text), CAST(? AS integer), coalesce(CAST(? AS timestamptz), now()),
     CAST(? AS integer), CAST(? AS text), CAST(? AS jsonb), CAST(? AS bigint))
ON CONFLICT (dedup_key) WHERE dedup_key IS NOT NULL DO NOTHING
RETURNING job_id
