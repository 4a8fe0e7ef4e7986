-- Store the outcome of one check and when the schedule is next due. The check computed next_run
-- from the current timetable, so a pending recomputation (timetable_changed) is done too.
UPDATE lamplighter.scheduled_jobs
SET last_run     = :now,
    last_success = CASE WHEN :outcome = 'launched' THEN CAST(:now AS timestamptz) ELSE last_success END,
    last_outcome = :outcome,
    last_error   = :error,
    retry_count  = :retryCount,
    enabled      = :enabled,
    next_run     = :nextRun,
    pending_trigger = NULL,
    timetable_changed = false
WHERE name = :name
