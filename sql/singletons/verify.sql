-- Who holds a singleton now, and whether its lease is still valid by the database's clock: the
-- check behind SingletonContext.verifyLeadership().
SELECT owner,
       token,
       lease_until,
       coalesce(lease_until > coalesce(CAST(:now AS timestamptz), now()), false) AS lease_valid,
       coalesce(CAST(:now AS timestamptz), now()) AS db_now
FROM lamplighter.singletons
WHERE name = :name
