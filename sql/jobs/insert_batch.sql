-- Enqueue many jobs in one statement (LamplighterClient.enqueueAll). Every parameter is an array
-- with one element per request, in request order:
--   1 job_type text[], 2 payload text[] (JSON objects), 3 job_source text[], 4 priority integer[],
--   5 run_at timestamptz[] (a null element: now), 6 max_attempts integer[], 7 dedup_key text[]
--   (a null element: none), 8 timeout_ms bigint[] (a null element: none of its own),
-- and 9 now timestamptz (null: the database's now()).
-- Dedup per row: a key that already exists, or that an earlier row of the batch holds, inserts
-- nothing. Returns one row per request, in request order: ord (1-based), job_id (the new job's
-- id, or the id of the job that holds the key) and all_inserted. all_inserted is false only when
-- a transaction that committed after this statement began took one of the keys: then the job ids
-- of the rows with a key are not to be trusted, and the caller looks each key up again.
-- Ids are drawn from the identity's sequence up front, in request order, so that each request
-- maps to its own new row with no join against what was inserted (the planner cannot estimate
-- the size of an unnested array, and a nested loop over two 10,000-row sets takes seconds).
-- Keys already in the table are found through the unique index jobs_dedup_key (scalar
-- subqueries: one index probe per row with a key, and only for those), never by scanning the
-- table, however long its history.
WITH input AS (
    SELECT r.ord, r.job_type, r.payload, r.job_source, r.priority, r.run_at, r.max_attempts,
           r.dedup_key, r.timeout_ms,
           r.dedup_key IS NULL OR r.ord = min(r.ord) OVER (PARTITION BY r.dedup_key) AS first_of_key
    FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS integer[]),
                CAST(? AS timestamptz[]), CAST(? AS integer[]), CAST(? AS text[]), CAST(? AS bigint[]))
         WITH ORDINALITY AS r(job_type, payload, job_source, priority, run_at, max_attempts, dedup_key,
                              timeout_ms, ord)
),
numbered AS MATERIALIZED (
    SELECT i.*,
           CASE WHEN i.first_of_key
                     AND (i.dedup_key IS NULL
                          OR (SELECT j.job_id FROM lamplighter.jobs j WHERE j.dedup_key = i.dedup_key) IS NULL)
                THEN nextval((SELECT CAST(pg_get_serial_sequence('lamplighter.jobs', 'job_id') AS regclass)))
           END AS new_id
    FROM (SELECT * FROM input ORDER BY ord) i
),
inserted AS (
    INSERT INTO lamplighter.jobs
        (job_id, job_type, status, payload, job_source, priority, run_at, max_attempts, dedup_key,
         timeout_ms)
    OVERRIDING SYSTEM VALUE
    SELECT n.new_id, n.job_type, 'queued', CAST(n.payload AS jsonb), n.job_source, n.priority,
           coalesce(n.run_at, CAST(? AS timestamptz), now()), n.max_attempts, n.dedup_key, n.timeout_ms
    FROM numbered n
    WHERE n.new_id IS NOT NULL
    ORDER BY n.ord
    ON CONFLICT (dedup_key) WHERE dedup_key IS NOT NULL DO NOTHING
    RETURNING job_id
)
SELECT n.ord,
       coalesce(n.new_id,
                max(n.new_id) OVER (PARTITION BY n.dedup_key),
                (SELECT j.job_id FROM lamplighter.jobs j WHERE j.dedup_key = n.dedup_key)) AS job_id,
       (SELECT count(*) FROM inserted) = (SELECT count(*) FROM numbered WHERE new_id IS NOT NULL) AS all_inserted
FROM numbered n
ORDER BY n.ord
