-- What the executions table says about the run. An "earlier" execution is one of an attempt
-- before the job's last: it must have run on a killed node, and its attempt must have been
-- rescued from that node.
WITH mine AS (
    SELECT e.*, j.attempts AS last_attempt
    FROM public.chaos_executions e
    JOIN lamplighter.jobs j USING (job_id)
    WHERE j.job_type = :jobType
), earlier AS (
    SELECT * FROM mine WHERE attempt <> last_attempt
)
SELECT (SELECT count(*) FROM (SELECT job_id FROM mine GROUP BY job_id HAVING count(*) > 1) AS m) AS run_more_than_once,
       (SELECT count(*) FROM earlier)                                                            AS earlier_executions,
       (SELECT count(*) FROM earlier e
        WHERE e.node = ANY (CAST(:killed AS text[]))
          AND EXISTS (SELECT 1 FROM public.chaos_rescues r
                      WHERE r.job_id = e.job_id AND r.attempt = e.attempt AND r.from_node = e.node
                        AND r.last_error LIKE 'lease of node ' || e.node || ' expired%'))         AS matched_to_rescue,
       (SELECT count(*) FROM (SELECT 1 FROM mine GROUP BY job_id, attempt HAVING count(*) > 1) AS d) AS same_attempt_twice,
       (SELECT count(*) FROM lamplighter.jobs j
        WHERE j.job_type = :jobType AND j.status = 'completed'
          AND NOT EXISTS (SELECT 1 FROM public.chaos_executions e
                          WHERE e.job_id = j.job_id AND e.attempt = j.attempts AND e.finished_at IS NOT NULL)) AS completed_unrun
