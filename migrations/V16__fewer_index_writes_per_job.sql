-- Lamplighter schema, version 16: fewer index entries written per job.
--
-- An update that changes status is never HOT (status is in the partial indexes' predicates), so
-- each row version a job goes through (queued, running, completed) adds an entry to every index
-- whose predicate the row matches. jobs_created_at held every row, and jobs_schedule_active every
-- active row, with or without a schedule: of the seven entries a job's claim and completion wrote,
-- three were theirs. pgbench over the claim and completion statements alone (8 clients, 100 jobs
-- per claim, docs/figures.md "Fewer index entries per job"): 47,000-49,000 jobs/s before, 53,000-
-- 62,000 after.
--
-- jobs_created_at served two reads, both of jobs launched by a schedule: the history query of
-- sql/cookbook/history.sql (job_source = 'scheduled_task', newest first) and the CLI's `history
-- --schedule`. Each gets a partial index that holds only such jobs; the CLI's `history` of all
-- jobs reads the primary key backwards (newest job_id first), as the admin page's list does. A job
-- enqueued by the API with no schedule now writes four index entries on its way from queued to
-- completed: the primary key and jobs_running_lease on the claim, the primary key and
-- jobs_finished on the completion.
DROP INDEX IF EXISTS lamplighter.jobs_created_at;

-- Jobs launched by schedules, newest first: sql/cookbook/history.sql.
CREATE INDEX jobs_scheduled_created_at ON lamplighter.jobs (created_at DESC)
    WHERE job_source = 'scheduled_task';

-- A schedule's jobs, newest first: the CLI's `history --schedule` (sql/cli/history_of_schedule.sql).
CREATE INDEX jobs_schedule_history ON lamplighter.jobs (schedule_name, job_id DESC)
    WHERE schedule_name IS NOT NULL;

-- One instance per schedule (sql/scheduled_jobs/find_active_jobs.sql): only jobs that have a
-- schedule can be a previous instance, so jobs without one need no entry.
DROP INDEX IF EXISTS lamplighter.jobs_schedule_active;
CREATE INDEX jobs_schedule_active ON lamplighter.jobs (schedule_name)
    WHERE schedule_name IS NOT NULL AND status IN ('awaiting_approval', 'queued', 'running');
