-- Store the next_run recomputed after a timetable change (no check: the launcher is not asked).
UPDATE lamplighter.scheduled_jobs
SET next_run = :nextRun,
    timetable_changed = false
WHERE name = :name
