-- SingletonContext.verifyLeadership(connection): the same check as verify.sql, run in the
-- application's own transaction, holding the singleton's row with FOR SHARE until that transaction
-- ends. A takeover (acquire.sql updates the row) waits for it, so no other node can become leader
-- before the application's writes in this transaction commit or roll back. "now" is the start of
-- the application's transaction (now()), so the lease check is as of then; the row lock is what
-- guarantees that nobody else leads meanwhile.
SELECT owner,
       token,
       lease_until,
       coalesce(lease_until > coalesce(CAST(:now AS timestamptz), now()), false) AS lease_valid,
       coalesce(CAST(:now AS timestamptz), now()) AS db_now
FROM lamplighter.singletons
WHERE name = :name
FOR SHARE
