-- Extends the lease of a singleton this node holds under this token, while the lease has not run
-- out by the database's clock. Returns nothing when the lease is lost (expired, released by an
-- operator, or taken by another node): the holder then stops its service.
UPDATE lamplighter.singletons
SET lease_until = coalesce(CAST(:now AS timestamptz), now()) + CAST(:leaseMs AS bigint) * interval '1 millisecond',
    renewed_at  = coalesce(CAST(:now AS timestamptz), now())
WHERE name = :name
  AND owner = :nodeId
  AND token = :token
  AND lease_until > coalesce(CAST(:now AS timestamptz), now())
RETURNING lease_until
