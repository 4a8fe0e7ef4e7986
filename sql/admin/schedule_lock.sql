-- Before a trigger, enable or disable through the admin API: lock the schedule's row for the rest
-- of the transaction and read what the audit row keeps as "before". No row: no such schedule.
SELECT enabled, next_run, retry_count, pending_trigger
FROM lamplighter.scheduled_jobs
WHERE name = :name
FOR UPDATE
