-- Enqueue many jobs in one statement (LamplighterClient.enqueueAll). Every parameter is an array
-- with one element per request, in request order:
--   1 job_type text[], 2 payload text[] (JSON objects), 3 job_source text[], 4 priority integer[],
--   5 run_at timestamptz[] (a null element: now), 6 max_attempts integer[], 7 dedup_key text[]
--   (a null element: none), 8 timeout_ms bigint[] (a null element: none of its own),
-- and 9 now timestamptz (null: the database's now()).
-- Dedup per row: a key that already exists, or that an earlier row of the batch holds, inserts
-- nothing. Returns one row per request, in request order: ord (1-based) and job_id (the new job's
-- id, or the id of the job that holds the key). job_id is null only when a transaction that
-- committed after this statement began took the key (the caller looks it up again).
-- Ids are drawn from the identity's sequence up front, in request order, so that each request
-- maps to its own new row without a second round trip.
WITH input AS (
    SELECT r.ord, r.job_type, r.payload, r.job_source, r.priority, r.run_at, r.max_attempts,
           r.dedup_key, r.timeout_ms,
           CASE WHEN r.dedup_key IS NULL THEN r.ord
                ELSE min(r.ord) OVER (PARTITION BY r.dedup_key) END AS first_ord
    FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS integer[]),
                CAST(? AS timestamptz[]), CAST(? AS integer[]), CAST(? AS text[]), CAST(? AS bigint[]))
         WITH ORDINALITY AS r(job_type, payload, job_source, priority, run_at, max_attempts, dedup_key,
                              timeout_ms, ord)
),
candidates AS MATERIALIZED (
    SELECT i.ord, i.dedup_key,
           nextval(pg_get_serial_sequence('lamplighter.jobs', 'job_id')) AS job_id,
           i.job_type, i.payload, i.job_source, i.priority, i.run_at, i.max_attempts, i.timeout_ms
    FROM (SELECT * FROM input WHERE ord = first_ord ORDER BY ord) i
    WHERE i.dedup_key IS NULL
       OR NOT EXISTS (SELECT 1 FROM lamplighter.jobs j WHERE j.dedup_key = i.dedup_key)
),
inserted AS (
    INSERT INTO lamplighter.jobs
        (job_id, job_type, status, payload, job_source, priority, run_at, max_attempts, dedup_key,
         timeout_ms)
    OVERRIDING SYSTEM VALUE
    SELECT c.job_id, c.job_type, 'queued', CAST(c.payload AS jsonb), c.job_source, c.priority,
           coalesce(c.run_at, CAST(? AS timestamptz), now()), c.max_attempts, c.dedup_key, c.timeout_ms
    FROM candidates c
    ORDER BY c.ord
    ON CONFLICT (dedup_key) WHERE dedup_key IS NOT NULL DO NOTHING
    RETURNING job_id
)
SELECT i.ord, coalesce(ins.job_id, existing.job_id) AS job_id
FROM input i
LEFT JOIN candidates c ON c.ord = i.first_ord
LEFT JOIN inserted ins ON ins.job_id = c.job_id
LEFT JOIN lamplighter.jobs existing ON existing.dedup_key = i.dedup_key
ORDER BY i.ord
