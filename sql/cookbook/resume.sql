-- Resume the cluster after pause.sql: every node checks schedules and claims jobs again, at once
-- when it listens, else at its next heartbeat. The trigger clears reason, paused_by and paused_at.
-- Same as `lamplighter resume` and POST /api/resume.
-- Role: lamplighter_operator
--   psql "$DATABASE_URL" -f sql/cookbook/resume.sql
UPDATE lamplighter.cluster_state
SET paused = false;

SELECT paused, reason, paused_by, paused_at FROM lamplighter.cluster_state;
