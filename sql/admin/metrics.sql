-- GET /metrics: every gauge of the admin API's Prometheus endpoint in one statement, one row per
-- series: the metric, its tags (schedule, job_type, state, outcome: null where the metric has no
-- such tag) and its value. "Runnable" is queued with run_at <= now. "Last hour" is
-- (now - 1 hour, now]. Every schedule gets a decisions row for each outcome, 0 included, so that an
-- alert on a rate has a series to read. :now is null in production (the database clock).
WITH clock AS (
    SELECT coalesce(CAST(:now AS timestamptz), now()) AS now
),
queue AS (
    SELECT j.job_type,
           count(*) FILTER (WHERE j.status = 'queued' AND j.run_at <= c.now)  AS runnable,
           min(j.run_at) FILTER (WHERE j.status = 'queued' AND j.run_at <= c.now) AS oldest_run_at,
           count(*) FILTER (WHERE j.status = 'running')                     AS running,
           count(*) FILTER (WHERE j.status = 'awaiting_approval')           AS awaiting
    FROM lamplighter.jobs j, clock c
    WHERE j.status IN ('queued', 'running', 'awaiting_approval')
    GROUP BY j.job_type
),
finished AS (
    SELECT j.job_type, j.status, count(*) AS n
    FROM lamplighter.jobs j, clock c
    WHERE j.status IN ('completed', 'failed')
      AND j.completed_at > c.now - interval '1 hour'
      AND j.completed_at <= c.now
    GROUP BY j.job_type, j.status
),
decided AS (
    SELECT d.schedule_name, d.outcome, count(*) AS n
    FROM lamplighter.decision_log d, clock c
    WHERE d.decided_at > c.now - interval '1 hour'
      AND d.decided_at <= c.now
    GROUP BY d.schedule_name, d.outcome
)
SELECT 'queue_depth' AS metric, NULL AS schedule, q.job_type, NULL AS state, NULL AS outcome,
       CAST(q.runnable AS double precision) AS value
FROM queue q
UNION ALL
SELECT 'queue_oldest_age', NULL, q.job_type, NULL, NULL,
       coalesce(greatest(0, extract(epoch FROM c.now - q.oldest_run_at)), 0)::double precision
FROM queue q, clock c
UNION ALL
SELECT 'jobs_running', NULL, q.job_type, NULL, NULL, CAST(q.running AS double precision)
FROM queue q
UNION ALL
SELECT 'jobs_awaiting_approval', NULL, q.job_type, NULL, NULL, CAST(q.awaiting AS double precision)
FROM queue q
UNION ALL
SELECT 'jobs_' || f.status, NULL, f.job_type, NULL, NULL, CAST(f.n AS double precision)
FROM finished f
UNION ALL
SELECT 'schedules', NULL, NULL, st.state, NULL, CAST(count(s.state) AS double precision)
FROM (VALUES ('enabled'), ('disabled'), ('failing')) AS st(state)
LEFT JOIN (SELECT CASE WHEN NOT enabled THEN 'disabled'
                       WHEN retry_count > 0 THEN 'failing'
                       ELSE 'enabled' END AS state
           FROM lamplighter.scheduled_jobs) s ON s.state = st.state
GROUP BY st.state
UNION ALL
SELECT 'schedule_retry_count', s.name, NULL, NULL, NULL, CAST(s.retry_count AS double precision)
FROM lamplighter.scheduled_jobs s
UNION ALL
SELECT 'decisions', s.name, NULL, NULL, o.outcome, CAST(coalesce(d.n, 0) AS double precision)
FROM lamplighter.scheduled_jobs s
CROSS JOIN (VALUES ('launched'), ('skipped'), ('failed')) AS o(outcome)
LEFT JOIN decided d ON d.schedule_name = s.name AND d.outcome = o.outcome
