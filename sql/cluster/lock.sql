-- The pause switch as it is before a change, its row locked until the change commits.
-- No row (it is never deleted, but TRUNCATE can empty it): nothing, and the change inserts it.
SELECT paused, reason, paused_by, paused_at
FROM lamplighter.cluster_state
WHERE id
FOR UPDATE
