-- The retention cleaner's lock: only the node that gets it deletes a batch. Transaction-scoped
-- (taken again in each batch's transaction), so it needs no session state and works behind
-- PgBouncer in transaction mode; a node that does not get it ends its run.
SELECT pg_try_advisory_xact_lock(:key)
