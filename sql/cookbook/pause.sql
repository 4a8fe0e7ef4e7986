-- Pause the whole cluster: no node checks a schedule and no worker claims a job until resume.sql.
-- Jobs already running finish; enqueue still works (jobs wait in the queue); enabled stays as it is.
-- Listening nodes follow at once (NOTIFY lamplighter_cluster); with LAMPLIGHTER_LISTEN=false, at
-- their next heartbeat (30 s). The trigger fills paused_by (your user) and paused_at (now).
-- Same as `lamplighter pause --reason TEXT` (which also writes an audit row) and POST /api/pause.
-- Role: lamplighter_operator
--   psql "$DATABASE_URL" -v reason='database upgrade' -f sql/cookbook/pause.sql
UPDATE lamplighter.cluster_state
SET paused = true, reason = :'reason';

SELECT paused, reason, paused_by, paused_at FROM lamplighter.cluster_state;
