-- The poll loop's tick lock: only the node that gets it handles due schedules this tick.
-- Transaction-scoped, so it is released when the tick's transaction ends, even if the node dies.
SELECT pg_try_advisory_xact_lock(:key)
