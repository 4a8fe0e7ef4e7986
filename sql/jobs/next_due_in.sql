-- How long until the next queued job of these types becomes due, in ms, measured by the
-- database's clock (or the bound test clock): the worker sleeps until then at most. Only future
-- run_at counts; a job that is due but locked elsewhere is left to NOTIFY and the poll. NULL:
-- nothing waiting. One index probe per type (jobs_queued_type_run_at). A run_at of 'infinity'
-- (never due) is not waited for: it has no length in ms.
SELECT CAST(ceil(EXTRACT(EPOCH FROM (min(nxt.run_at) - coalesce(CAST(:now AS timestamptz), now()))) * 1000) AS bigint)
       AS due_in_ms
FROM unnest(CAST(:jobTypes AS text[])) AS t(job_type)
CROSS JOIN LATERAL (SELECT j.run_at
                    FROM lamplighter.jobs j
                    WHERE j.status = 'queued'
                      AND j.job_type = t.job_type
                      AND j.run_at > coalesce(CAST(:now AS timestamptz), now())
                      AND j.run_at < CAST('infinity' AS timestamptz)
                    ORDER BY j.run_at
                    LIMIT 1) AS nxt
