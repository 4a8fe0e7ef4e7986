-- When each worker process reached each step of its start (the JVM's clock; one machine).
CREATE TABLE IF NOT EXISTS public.chaos_worker_starts (
    node               text        PRIMARY KEY,
    pid                bigint      NOT NULL,
    process_started_at timestamptz NOT NULL,
    main_at            timestamptz NOT NULL,
    pool_at            timestamptz NOT NULL,
    migrated_at        timestamptz NOT NULL,
    node_started_at    timestamptz NOT NULL,
    first_claim_at     timestamptz
)
