-- Drain one node before a deploy: it stops checking schedules and claiming jobs, gives back its
-- prefetched jobs, lets its running jobs finish, then sets drained_at. Wait for drained_at, then
-- stop it. A node that starts again under the same id starts undrained; to undrain a running node:
--   UPDATE lamplighter.nodes SET drain_requested_at = NULL, drained_at = NULL WHERE node_id = '...';
-- Same as `lamplighter drain NODE` / `lamplighter undrain NODE` and POST /api/nodes/{id}/drain.
-- Role: lamplighter_operator
--   psql "$DATABASE_URL" -v node_id=worker-7 -f sql/cookbook/drain.sql
UPDATE lamplighter.nodes
SET drain_requested_at = coalesce(drain_requested_at, now()), drain_requested_by = current_user
WHERE node_id = :'node_id';

SELECT node_id, drain_requested_at, drained_at, last_seen_at
FROM lamplighter.nodes
WHERE node_id = :'node_id';
