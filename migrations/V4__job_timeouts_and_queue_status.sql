-- Lamplighter schema, version 4: job timeouts, and what the queue waits for.

-- A per-job time limit for one attempt of the handler, in milliseconds. NULL: the handler's own
-- timeout (JobHandler.timeout()), else the node default (LAMPLIGHTER_JOB_TIMEOUT).
ALTER TABLE lamplighter.jobs ADD COLUMN timeout_ms bigint;
ALTER TABLE lamplighter.jobs ADD CONSTRAINT jobs_timeout_ms_positive
    CHECK (timeout_ms IS NULL OR timeout_ms BETWEEN 1 AND 604800000);

COMMENT ON COLUMN lamplighter.jobs.timeout_ms IS
    'Time limit of one attempt in ms (1 ms to 7 days). NULL: the handler''s timeout, else the node default LAMPLIGHTER_JOB_TIMEOUT. A timed-out attempt fails and is retried like any failure.';

-- Queued jobs by type and run_at: the worker's "when is my next job due" (one index probe per
-- type) and the rescuer's "which queued types does no live node handle" (a skip scan by type).
CREATE INDEX jobs_queued_type_run_at ON lamplighter.jobs (job_type, run_at) WHERE status = 'queued';

-- queue_status: per job type, what waits, what runs, and whether any live node can run it.
CREATE VIEW lamplighter.queue_status AS
WITH live AS (
    SELECT node_id, job_types
    FROM lamplighter.nodes
    WHERE last_seen_at > now() - interval '5 minutes'
)
SELECT j.job_type,
       count(*) FILTER (WHERE j.status = 'queued')                       AS queued,
       count(*) FILTER (WHERE j.status = 'queued' AND j.run_at <= now()) AS due,
       count(*) FILTER (WHERE j.status = 'running')                      AS running,
       min(j.run_at) FILTER (WHERE j.status = 'queued')                  AS oldest_run_at,
       EXISTS (SELECT 1 FROM live WHERE j.job_type = ANY (live.job_types)) AS handled,
       ARRAY(SELECT live.node_id FROM live WHERE j.job_type = ANY (live.job_types)
             ORDER BY live.node_id)                                       AS handled_by
FROM lamplighter.jobs j
WHERE j.status IN ('queued', 'running')
GROUP BY j.job_type;

COMMENT ON VIEW lamplighter.queue_status IS
    'One row per job type with queued or running jobs. handled is false when no node seen in the last 5 minutes has a handler for the type: its jobs wait until one starts.';
