-- GET /health: what the cluster's rows say about its loops, in one statement. A node is live when
-- its heartbeat is younger than :liveMs; the poll loop is alive when some node led a tick within
-- the last :tickMs (the admin server: three poll intervals; lamplighter doctor: two), which
-- matters while schedules are due (due_schedules). :now is null in production (the database clock).
SELECT coalesce(CAST(:now AS timestamptz), now()) AS now,
       (SELECT max(last_led_tick_at) FROM lamplighter.nodes) AS last_led_tick_at,
       (SELECT node_id FROM lamplighter.nodes
        ORDER BY last_led_tick_at DESC NULLS LAST, node_id LIMIT 1) AS last_leader,
       (SELECT count(*) FROM lamplighter.nodes
        WHERE last_led_tick_at > coalesce(CAST(:now AS timestamptz), now())
                                 - CAST(:tickMs AS bigint) * interval '1 millisecond') AS recent_leaders,
       (SELECT count(*) FROM lamplighter.nodes
        WHERE last_seen_at > coalesce(CAST(:now AS timestamptz), now())
                             - CAST(:liveMs AS bigint) * interval '1 millisecond') AS live_nodes,
       (SELECT count(*) FROM lamplighter.nodes
        WHERE last_seen_at > coalesce(CAST(:now AS timestamptz), now())
                             - CAST(:liveMs AS bigint) * interval '1 millisecond'
          AND cardinality(job_types) > 0) AS live_worker_nodes,
       (SELECT count(*) FROM lamplighter.scheduled_jobs
        WHERE enabled AND next_run <= coalesce(CAST(:now AS timestamptz), now())) AS due_schedules
