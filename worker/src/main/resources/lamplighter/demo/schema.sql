-- The demo's own small world, recreated at each demo start: a vocabulary whose types are
-- discovered by "ingestion" (llm_generated), integrated (active), fall out of use (inactive) and
-- are consolidated; a change counter bumped by a trigger; an ingestion epoch.
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

CREATE TABLE lamplighter_demo.counters (
    name     text PRIMARY KEY,
    value    bigint NOT NULL DEFAULT 0 CHECK (value >= 0),
    consumed bigint NOT NULL DEFAULT 0 CHECK (consumed >= 0)
);

CREATE TABLE lamplighter_demo.epochs (
    name    text PRIMARY KEY,
    value   bigint NOT NULL DEFAULT 0,
    claimed bigint NOT NULL DEFAULT 0
);

CREATE TABLE lamplighter_demo.annealing_proposals (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id     bigint NOT NULL,
    kind       text   NOT NULL CHECK (kind IN ('promote', 'demote')),
    subject    text   NOT NULL,
    status     text   NOT NULL DEFAULT 'pending',
    created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO lamplighter_demo.counters (name) VALUES ('vocabulary_changes');
INSERT INTO lamplighter_demo.epochs (name) VALUES ('ingestion');

-- Every change to the vocabulary (a type added, removed, renamed or changing status) counts, as
-- the seed's vocabulary_change_counter does. Re-measuring (grounding) is not a change.
CREATE FUNCTION lamplighter_demo.count_vocabulary_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    UPDATE lamplighter_demo.counters SET value = value + 1 WHERE name = 'vocabulary_changes';
    RETURN NULL;
END
$$;

CREATE TRIGGER vocab_types_count_changes
    AFTER INSERT OR UPDATE OF name, status OR DELETE ON lamplighter_demo.vocab_types
    FOR EACH ROW EXECUTE FUNCTION lamplighter_demo.count_vocabulary_change();

-- A vocabulary to start from: 40 active types, 3 inactive.
INSERT INTO lamplighter_demo.vocab_types (name, status)
SELECT 'TYPE_' || i, CASE WHEN i <= 40 THEN 'active' ELSE 'inactive' END
FROM generate_series(1, 43) AS i;
UPDATE lamplighter_demo.counters SET consumed = value WHERE name = 'vocabulary_changes';
