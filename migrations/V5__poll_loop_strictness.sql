-- Lamplighter schema, version 5: the poll loop follows timetable edits made by SQL, records every
-- trigger source as what it was, and lets a schedule bound how late a slot may still be checked.

-- misfire_grace: how late a timetable slot may still be checked. A slot older than this is not
-- checked: it is recorded as missed (decision_log outcome 'skipped') and next_run moves to the
-- next slot. NULL (the default): no limit; missed slots coalesce into one check. Triggers (event,
-- manual) are never misfires.
ALTER TABLE lamplighter.scheduled_jobs ADD COLUMN misfire_grace interval;
ALTER TABLE lamplighter.scheduled_jobs ADD CONSTRAINT scheduled_jobs_misfire_grace_positive
    CHECK (misfire_grace IS NULL OR misfire_grace > interval '0');

COMMENT ON COLUMN lamplighter.scheduled_jobs.misfire_grace IS
    'How late a timetable slot may still be checked; an older slot is recorded as missed and skipped. NULL: no limit.';

-- timetable_changed: an UPDATE changed schedule_cron, schedule_interval or time_zone without
-- setting next_run itself. Cron cannot be evaluated in SQL, so the row is marked here and the poll
-- loop recomputes next_run for marked rows at its next tick (a NOTIFY wakes it), without asking
-- the launcher. A broken new timetable becomes due at once and fails like any broken row.
ALTER TABLE lamplighter.scheduled_jobs ADD COLUMN timetable_changed boolean NOT NULL DEFAULT false;

COMMENT ON COLUMN lamplighter.scheduled_jobs.timetable_changed IS
    'Set when SQL changed the timetable columns but not next_run; the poll loop recomputes next_run and clears it.';

CREATE INDEX scheduled_jobs_timetable_changed ON lamplighter.scheduled_jobs (name) WHERE timetable_changed;

-- What a change of a schedule row means, decided once per row before it is written.
--
-- lamplighter.origin (set with set_config(..., true) by the statement's transaction) says who writes:
--   'poller', 'registrar': Lamplighter itself; the row is left as written.
--   'trigger': sql/scheduled_jobs/trigger.sql (LamplighterClient.trigger, the CLI's trigger),
--              which writes pending_trigger itself ('event' or 'manual'): that value stands, however
--              often and from however many connections the schedule is triggered.
--   anything else: an operator's SQL. A moved next_run is a manual trigger, unless the statement
--              wrote a new pending_trigger itself (an explicit write wins). A changed timetable
--              without a new next_run marks the row for the poll loop to recompute next_run.
CREATE OR REPLACE FUNCTION lamplighter.mark_manual_trigger() RETURNS trigger
    LANGUAGE plpgsql AS
$$
DECLARE
    origin text := coalesce(current_setting('lamplighter.origin', true), '');
BEGIN
    IF origin IN ('poller', 'registrar', 'trigger') THEN
        RETURN NEW;
    END IF;
    IF NEW.next_run IS DISTINCT FROM OLD.next_run THEN
        IF NEW.pending_trigger IS NOT DISTINCT FROM OLD.pending_trigger THEN
            NEW.pending_trigger := 'manual';
        END IF;
        NEW.timetable_changed := false;
    ELSIF NEW.schedule_cron IS DISTINCT FROM OLD.schedule_cron
          OR NEW.schedule_interval IS DISTINCT FROM OLD.schedule_interval
          OR NEW.time_zone IS DISTINCT FROM OLD.time_zone THEN
        NEW.timetable_changed := true;
    END IF;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION lamplighter.mark_manual_trigger() IS
    'Before update of a schedule: marks a moved next_run as a manual trigger and a changed timetable for recomputation (see V5).';

-- The trigger now watches every column (the timetable columns as well as next_run).
DROP TRIGGER scheduled_jobs_mark_manual_trigger ON lamplighter.scheduled_jobs;
CREATE TRIGGER scheduled_jobs_mark_manual_trigger
    BEFORE UPDATE ON lamplighter.scheduled_jobs
    FOR EACH ROW EXECUTE FUNCTION lamplighter.mark_manual_trigger();
