-- The figures behind the Micrometer gauges of the Spring Boot starter, in one statement so that a
-- scrape costs one query: per job type with queued or running jobs, the queue depth (queued) and
-- the age in seconds of the oldest queued job (0 when its run_at is still ahead); per schedule
-- state, how many schedules are in it. Each schedule counts once: 'disabled' (enabled = false),
-- else 'failing' (retry_count > 0), else 'enabled'.
-- :now is null in production (the database clock).
SELECT 'queue' AS kind,
       q.job_type AS name,
       q.queued AS count,
       greatest(0, extract(epoch FROM coalesce(CAST(:now AS timestamptz), now()) - q.oldest_run_at))::double precision
           AS oldest_age_seconds
FROM lamplighter.queue_status q
UNION ALL
SELECT 'schedules',
       s.state,
       count(*),
       NULL
FROM (SELECT CASE WHEN NOT enabled THEN 'disabled'
                  WHEN retry_count > 0 THEN 'failing'
                  ELSE 'enabled' END AS state
      FROM lamplighter.scheduled_jobs) s
GROUP BY s.state
