-- The demo's own small world, recreated at each demo start: a vocabulary whose types are
-- discovered by "ingestion" (llm_generated), integrated (active), fall out of use (inactive) and
-- are consolidated. Changes are counted with lamplighter.bump_counter; ingestions advance the
-- lamplighter epoch 'ingestion'.
DROP SCHEMA IF EXISTS lamplighter_demo CASCADE;
CREATE SCHEMA lamplighter_demo;

CREATE TABLE lamplighter_demo.vocab_types (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text        NOT NULL UNIQUE,
    status      text        NOT NULL CHECK (status IN ('llm_generated', 'active', 'inactive', 'consolidated')),
    grounding   text,
    measured_at timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE lamplighter_demo.annealing_proposals (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id     bigint NOT NULL,
    kind       text   NOT NULL CHECK (kind IN ('promote', 'demote')),
    subject    text   NOT NULL,
    status     text   NOT NULL DEFAULT 'pending',
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The demo's SQL conditions (category_refresh, vocab_consolidation) run as the condition role,
-- which reads only what it is granted: here, the vocabulary. The pattern for your own tables.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lamplighter_condition') THEN
        GRANT USAGE ON SCHEMA lamplighter_demo TO lamplighter_condition;
        GRANT SELECT ON lamplighter_demo.vocab_types TO lamplighter_condition;
    END IF;
END
$$;

-- A vocabulary to start from: 40 active types, 3 inactive.
INSERT INTO lamplighter_demo.vocab_types (name, status)
SELECT 'TYPE_' || i, CASE WHEN i <= 40 THEN 'active' ELSE 'inactive' END
FROM generate_series(1, 43) AS i;

-- Start each demo from zero: its counter, epoch, claims, hysteresis state, and no leftover jobs.
DELETE FROM lamplighter.counters WHERE name = 'vocabulary_changes';
DELETE FROM lamplighter.epochs WHERE name = 'ingestion';
DELETE FROM lamplighter.epoch_claims WHERE schedule_name = 'ontology_annealing';
DELETE FROM lamplighter.hysteresis_state WHERE schedule_name = 'vocab_consolidation';
UPDATE lamplighter.jobs SET status = 'cancelled', completed_at = now(), locked_by = NULL, locked_until = NULL
WHERE schedule_name IN ('category_refresh', 'vocab_consolidation', 'epistemic_remeasurement', 'ontology_annealing')
  AND status IN ('awaiting_approval', 'queued', 'running');

-- Every change to the vocabulary (a type added, removed, renamed or changing status) counts, as
-- the seed's vocabulary_change_counter does. Re-measuring (grounding) is not a change. This is the
-- pattern of sql/cookbook/counter_trigger_example.sql.
CREATE FUNCTION lamplighter_demo.count_vocabulary_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM lamplighter.bump_counter('vocabulary_changes');
    RETURN NULL;
END
$$;

CREATE TRIGGER vocab_types_count_changes
    AFTER INSERT OR UPDATE OF name, status OR DELETE ON lamplighter_demo.vocab_types
    FOR EACH ROW EXECUTE FUNCTION lamplighter_demo.count_vocabulary_change();

-- The seed switches annealing between autonomous and hitl with
--   UPDATE kg_api.annealing_options SET value = 'hitl' WHERE key = 'automation_level';
-- Here that statement (with lamplighter for kg_api) sets the schedule's automation column.
CREATE OR REPLACE VIEW lamplighter.annealing_options AS
SELECT CAST('automation_level' AS text) AS key, automation AS value
FROM lamplighter.scheduled_jobs
WHERE name = 'ontology_annealing';

CREATE FUNCTION lamplighter_demo.set_annealing_option() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NEW.key <> 'automation_level' THEN
        RAISE EXCEPTION 'annealing_options: key = % is not allowed: expected automation_level', NEW.key;
    END IF;
    UPDATE lamplighter.scheduled_jobs SET automation = NEW.value WHERE name = 'ontology_annealing';
    RETURN NEW;
END
$$;

CREATE TRIGGER annealing_options_update
    INSTEAD OF UPDATE ON lamplighter.annealing_options
    FOR EACH ROW EXECUTE FUNCTION lamplighter_demo.set_annealing_option();
