-- The CLI's `decisions`: a schedule's recent checks, newest first, with the figures they looked at.
SELECT decided_at, outcome, reason, CAST(figures AS text) AS figures, job_id, trigger_source, node_id,
       round(CAST(duration_ms AS numeric), 2) AS duration_ms
FROM lamplighter.decision_log
WHERE schedule_name = :name
ORDER BY decision_id DESC
LIMIT :limit
