-- The statements the database-restart and connection-loss programs run to set up and to count
-- what happened. One statement per "-- name:" section; Jdbi named parameters.

-- name: clean_decisions
DELETE FROM lamplighter.decision_log WHERE schedule_name LIKE :prefix || '%'

-- name: clean_jobs
DELETE FROM lamplighter.jobs WHERE job_type = :type OR schedule_name LIKE :prefix || '%'

-- name: clean_schedules
DELETE FROM lamplighter.scheduled_jobs WHERE name LIKE :prefix || '%'

-- name: disable_schedules
UPDATE lamplighter.scheduled_jobs SET enabled = false WHERE name LIKE :prefix || '%'

-- name: count_by_status
SELECT status, count(*) AS n FROM lamplighter.jobs WHERE job_type = :type GROUP BY status

-- name: count_completed
SELECT count(*) FROM lamplighter.jobs WHERE job_type = :type AND status = 'completed'

-- name: count_unfinished
SELECT count(*) FROM lamplighter.jobs
WHERE job_type = :type AND status NOT IN ('completed', 'failed', 'cancelled', 'rejected')

-- name: job_outcomes
SELECT job_id, status, attempts, last_error FROM lamplighter.jobs WHERE job_type = :type ORDER BY job_id

-- name: last_decision_id
SELECT coalesce(max(decision_id), 0) FROM lamplighter.decision_log

-- name: launches_after
SELECT count(*) FROM lamplighter.decision_log
WHERE outcome = 'launched' AND schedule_name LIKE :prefix || '%' AND decision_id > :after

-- name: failed_checks_after
SELECT count(*) FROM lamplighter.decision_log
WHERE outcome = 'failed' AND schedule_name LIKE :prefix || '%' AND decision_id > :after

-- name: slots_launched_twice
SELECT count(*) FROM (
    SELECT schedule_name, slot FROM lamplighter.decision_log
    WHERE outcome = 'launched' AND schedule_name LIKE :prefix || '%'
    GROUP BY schedule_name, slot HAVING count(*) > 1
) twice

-- name: launches_without_job
SELECT count(*) FROM lamplighter.decision_log d
WHERE d.outcome = 'launched' AND d.schedule_name LIKE :prefix || '%'
  AND NOT EXISTS (SELECT 1 FROM lamplighter.jobs j WHERE j.job_id = d.job_id)

-- name: schedule_outcome
SELECT
    (SELECT count(*) FROM lamplighter.decision_log WHERE schedule_name = :name AND outcome = 'launched') AS launched,
    (SELECT count(*) FROM lamplighter.decision_log WHERE schedule_name = :name AND outcome = 'failed') AS failed,
    (SELECT count(*) FROM lamplighter.jobs WHERE schedule_name = :name) AS jobs,
    s.retry_count, s.last_error, s.next_run > now() AS advanced
FROM lamplighter.scheduled_jobs s WHERE s.name = :name

-- name: job_state
SELECT status, attempts, last_error FROM lamplighter.jobs WHERE job_id = :id

-- name: terminate_application
SELECT count(*) FROM (
    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE application_name = :application AND pid <> pg_backend_pid()
) terminated

-- name: terminate_backend
SELECT pg_terminate_backend(CAST(:pid AS integer))

-- name: backend_pid
SELECT pg_backend_pid()

-- name: nodes_up
SELECT count(*) FROM lamplighter.nodes WHERE node_id = ANY(:ids)
