-- The CLI's `explain`: bounds for the transaction it always rolls back, so that a launcher's
-- query waiting on a lock the poll loop holds, or running long, ends the explanation instead of
-- hanging it. Local to the transaction.
SELECT set_config('lock_timeout', CAST(:lockTimeout AS text), true) AS lock_timeout,
       set_config('statement_timeout', CAST(:statementTimeout AS text), true) AS statement_timeout
