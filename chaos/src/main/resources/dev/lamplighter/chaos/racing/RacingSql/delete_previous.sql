-- Forget an earlier run's schedules, jobs and decisions (rows named race-...), so that a run on a
-- server that is not throwaway counts only its own.
WITH jobs AS (
    DELETE FROM lamplighter.jobs WHERE schedule_name LIKE 'race-%'
), decisions AS (
    DELETE FROM lamplighter.decision_log WHERE schedule_name LIKE 'race-%'
)
DELETE FROM lamplighter.scheduled_jobs WHERE name LIKE 'race-%'
