-- Takes a singleton when nobody holds it, its lease ran out (by the database's clock), or this node
-- holds it already (a restart under the same node id): one more on the fencing token. One
-- statement, so two nodes racing at the same instant serialise on the row and exactly one gets it
-- (the second re-reads the row the first wrote and finds a live lease). Returns nothing when
-- another node holds it.
INSERT INTO lamplighter.singletons AS s (name, owner, token, lease_until, acquired_at, renewed_at, failures)
VALUES (:name, :nodeId, 1,
        coalesce(CAST(:now AS timestamptz), now()) + CAST(:leaseMs AS bigint) * interval '1 millisecond',
        coalesce(CAST(:now AS timestamptz), now()), coalesce(CAST(:now AS timestamptz), now()), 0)
ON CONFLICT (name) DO UPDATE
SET owner       = EXCLUDED.owner,
    token       = s.token + 1,
    lease_until = EXCLUDED.lease_until,
    acquired_at = EXCLUDED.acquired_at,
    renewed_at  = EXCLUDED.renewed_at,
    released_at = NULL,
    failures    = 0
WHERE s.owner IS NULL
   OR s.owner = EXCLUDED.owner
   OR s.lease_until <= coalesce(CAST(:now AS timestamptz), now())
RETURNING s.token, s.lease_until
