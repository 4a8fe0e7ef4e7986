-- A worker process is up: when it reached each step of its start.
INSERT INTO public.chaos_worker_starts
    (node, pid, process_started_at, main_at, pool_at, migrated_at, node_started_at, first_claim_at)
VALUES (:node, :pid, :processStartedAt, :mainAt, :poolAt, :migratedAt, :nodeStartedAt, :firstClaimAt)
