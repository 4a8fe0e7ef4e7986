-- Lamplighter schema, version 7: one wake-up per enqueueing statement, not one per job.
--
-- V1 woke the workers with a row trigger: pg_notify('lamplighter_jobs', job_type) for every
-- queued row inserted. PostgreSQL folds identical notifications of one transaction into one, so
-- the workers saw the same thing, but calling the trigger function per row cost about 40 % of the
-- enqueue throughput of a batch. The insert trigger is now a statement trigger over a transition
-- table: one pg_notify per distinct job type that the statement queued (none when it queued
-- nothing, e.g. a dedup hit or a job awaiting approval). Listeners see what they saw before: one
-- notification per job type, with the type as the payload, delivered at commit.
--
-- The update trigger (a job becoming queued again: approved, retried, released) stays a row
-- trigger, on purpose. PostgreSQL refuses transition tables on a trigger with a column list
-- (UPDATE OF status), and a statement trigger on every UPDATE of jobs would make PostgreSQL keep
-- the old and new image of every row that the claim, the completion and the lease heartbeat
-- update, to find the few that became queued. The row trigger with UPDATE OF status and its WHEN
-- clause costs nothing on those statements, and these transitions come one job at a time.

DROP TRIGGER jobs_notify_insert ON lamplighter.jobs;

CREATE FUNCTION lamplighter.notify_jobs_queued() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('lamplighter_jobs', t.job_type)
    FROM (SELECT DISTINCT job_type FROM queued_rows WHERE status = 'queued') t;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION lamplighter.notify_jobs_queued() IS
    'After an INSERT into jobs: one pg_notify(''lamplighter_jobs'', job_type) per job type the statement queued (V7).';

CREATE TRIGGER jobs_notify_insert
    AFTER INSERT ON lamplighter.jobs
    REFERENCING NEW TABLE AS queued_rows
    FOR EACH STATEMENT
    EXECUTE FUNCTION lamplighter.notify_jobs_queued();
