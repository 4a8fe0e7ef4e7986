-- Mark the current transaction's writes as the poll loop's own: the row triggers then neither
-- wake the poll loop (NOTIFY) nor call a moved next_run a manual trigger.
SELECT set_config('lamplighter.origin', 'poller', true)
