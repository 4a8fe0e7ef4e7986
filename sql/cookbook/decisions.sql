-- Why a schedule launched or skipped: its recent checks with the figures each one looked at.
-- Role: lamplighter_reader
--   psql "$DATABASE_URL" -v name=epistemic_remeasurement -v limit=20 -f sql/cookbook/decisions.sql
SELECT decided_at, outcome, reason, figures, job_id, trigger_source, node_id,
       round(CAST(duration_ms AS numeric), 2) AS ms
FROM lamplighter.decision_log
WHERE schedule_name = :'name'
ORDER BY decision_id DESC
LIMIT :limit;
