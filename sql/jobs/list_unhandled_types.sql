-- Job types with queued jobs that no live node (seen within :liveMs) has a handler for, with how
-- many wait, the oldest run_at, and the job types the live nodes do handle. The distinct queued
-- types come from a skip scan of jobs_queued_type_run_at, so a long queue costs one index probe
-- per type, not a scan of every row.
WITH RECURSIVE queued_types AS (
    (SELECT job_type FROM lamplighter.jobs WHERE status = 'queued' ORDER BY job_type LIMIT 1)
    UNION ALL
    SELECT (SELECT j.job_type
            FROM lamplighter.jobs j
            WHERE j.status = 'queued' AND j.job_type > q.job_type
            ORDER BY j.job_type
            LIMIT 1)
    FROM queued_types q
    WHERE q.job_type IS NOT NULL
),
live AS (
    SELECT job_types
    FROM lamplighter.nodes
    WHERE last_seen_at > coalesce(CAST(:now AS timestamptz), now()) - CAST(:liveMs AS bigint) * interval '1 millisecond'
)
SELECT q.job_type,
       (SELECT count(*) FROM lamplighter.jobs j WHERE j.status = 'queued' AND j.job_type = q.job_type) AS queued,
       (SELECT min(j.run_at) FROM lamplighter.jobs j WHERE j.status = 'queued' AND j.job_type = q.job_type) AS oldest_run_at,
       ARRAY(SELECT DISTINCT t FROM live, unnest(live.job_types) AS t ORDER BY t) AS handled_types
FROM queued_types q
WHERE q.job_type IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM live WHERE q.job_type = ANY (live.job_types))
ORDER BY q.job_type
