-- Gives a singleton up at once (the node stops cleanly), so another node takes it at its next turn
-- instead of waiting for the lease to run out; tells the other nodes with a NOTIFY. Only the holder
-- of this token releases it; the token stays, and the next acquisition adds one.
UPDATE lamplighter.singletons
SET owner       = NULL,
    lease_until = NULL,
    released_at = coalesce(CAST(:now AS timestamptz), now())
WHERE name = :name
  AND owner = :nodeId
  AND token = :token
RETURNING name, pg_notify('lamplighter_singletons', name)
