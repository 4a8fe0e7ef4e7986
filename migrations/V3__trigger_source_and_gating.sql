-- Lamplighter schema, version 3: what triggered a check, and what a schedule requires of a node.

-- pending_trigger: why the schedule is due early, recorded in the decision log by the next check.
-- 'event' is set by LamplighterClient.trigger (application code after an event), 'manual' by the
-- CLI and by any other change of next_run that the poll loop did not make (an operator's
-- UPDATE ... SET next_run = now()). The check clears it; a schedule due on its own timetable is 'cron'.
ALTER TABLE lamplighter.scheduled_jobs ADD COLUMN pending_trigger text;
ALTER TABLE lamplighter.scheduled_jobs ADD CONSTRAINT scheduled_jobs_pending_trigger_known
    CHECK (pending_trigger IS NULL OR pending_trigger IN ('event', 'manual'));

-- requires: capabilities a node must have to check this schedule (a dependency such as 'llm' or
-- 'redis', or a configuration flag). A node without them leaves the schedule due for one that has them.
ALTER TABLE lamplighter.scheduled_jobs ADD COLUMN requires text[] NOT NULL DEFAULT '{}';
ALTER TABLE lamplighter.nodes ADD COLUMN capabilities text[] NOT NULL DEFAULT '{}';

COMMENT ON COLUMN lamplighter.scheduled_jobs.pending_trigger IS
    'Why the schedule is due early: event (application) or manual (operator); cleared by the next check.';
COMMENT ON COLUMN lamplighter.scheduled_jobs.requires IS
    'Capabilities a node needs to check this schedule, e.g. {llm}. Empty: any node.';

CREATE FUNCTION lamplighter.mark_manual_trigger() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NEW.next_run IS DISTINCT FROM OLD.next_run
       AND NEW.pending_trigger IS NOT DISTINCT FROM OLD.pending_trigger
       AND coalesce(current_setting('lamplighter.origin', true), '') = '' THEN
        NEW.pending_trigger := 'manual';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER scheduled_jobs_mark_manual_trigger
    BEFORE UPDATE OF next_run ON lamplighter.scheduled_jobs
    FOR EACH ROW EXECUTE FUNCTION lamplighter.mark_manual_trigger();

-- A trigger function that counts changes of any table into a change counter named by its
-- argument: CREATE TRIGGER ... FOR EACH ROW EXECUTE FUNCTION lamplighter.count_changes('name').
CREATE FUNCTION lamplighter.count_changes() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_NARGS <> 1 THEN
        RAISE EXCEPTION 'lamplighter.count_changes() on %: expected one argument, the counter name', TG_TABLE_NAME;
    END IF;
    PERFORM lamplighter.bump_counter(TG_ARGV[0]);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION lamplighter.count_changes() IS
    'Row trigger: bumps the change counter named by its argument once per changed row.';
