-- Seconds each worker process spent on each step of its start, for the processes that claimed.
SELECT node,
       extract(epoch FROM main_at - process_started_at)         AS jvm,
       extract(epoch FROM pool_at - main_at)                    AS pool,
       extract(epoch FROM migrated_at - pool_at)                AS flyway,
       extract(epoch FROM node_started_at - migrated_at)        AS node_start,
       extract(epoch FROM greatest(first_claim_at, node_started_at) - node_started_at) AS to_claim,
       extract(epoch FROM first_claim_at - process_started_at)  AS total
FROM public.chaos_worker_starts
WHERE first_claim_at IS NOT NULL
ORDER BY node
