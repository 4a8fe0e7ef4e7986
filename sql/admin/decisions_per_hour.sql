-- The admin page's chart: for every schedule, its checks per hour over the last day, by outcome
-- (launched / skipped / failed). 24 rows per schedule, hours aligned to UTC, the current hour
-- last; an hour without a check has zeros. :now is null in production (the database clock).
WITH bounds AS (
    SELECT date_trunc('hour', coalesce(CAST(:now AS timestamptz), now()), 'UTC') AS last_hour
),
hours AS (
    SELECT generate_series(last_hour - interval '23 hours', last_hour, interval '1 hour') AS hour
    FROM bounds
),
counts AS (
    SELECT d.schedule_name,
           date_trunc('hour', d.decided_at, 'UTC') AS hour,
           count(*) FILTER (WHERE d.outcome = 'launched') AS launched,
           count(*) FILTER (WHERE d.outcome = 'skipped') AS skipped,
           count(*) FILTER (WHERE d.outcome = 'failed') AS failed
    FROM lamplighter.decision_log d, bounds b
    WHERE d.decided_at >= b.last_hour - interval '23 hours'
      AND d.decided_at < b.last_hour + interval '1 hour'
    GROUP BY 1, 2
)
SELECT s.name AS schedule_name, h.hour,
       coalesce(c.launched, 0) AS launched,
       coalesce(c.skipped, 0) AS skipped,
       coalesce(c.failed, 0) AS failed
FROM lamplighter.scheduled_jobs s
CROSS JOIN hours h
LEFT JOIN counts c ON c.schedule_name = s.name AND c.hour = h.hour
ORDER BY s.name, h.hour
