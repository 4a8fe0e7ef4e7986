-- Lamplighter schema, version 2: the state of the built-in conditions.

-- ---------------------------------------------------------------------------------------------
-- Change counters. An application's trigger calls lamplighter.bump_counter('name') on every
-- change; a schedule launches when value - consumed >= threshold. consumed moves forward only
-- when the launched job succeeds (jobs.consumes), so a failed job leaves the work pending and
-- changes made while a job ran are not lost.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE lamplighter.counters (
    name       text        PRIMARY KEY,
    value      bigint      NOT NULL DEFAULT 0,
    consumed   bigint      NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT counters_name_format CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$'),
    CONSTRAINT counters_value_non_negative CHECK (value >= 0),
    CONSTRAINT counters_consumed_non_negative CHECK (consumed >= 0)
);

COMMENT ON TABLE lamplighter.counters IS
    'Change counters: value counts changes (bump_counter), consumed is what succeeded jobs have processed.';

CREATE FUNCTION lamplighter.bump_counter(name text, by bigint DEFAULT 1) RETURNS bigint
    LANGUAGE plpgsql AS
$$
DECLARE
    result bigint;
BEGIN
    IF by IS NULL OR by < 1 THEN
        RAISE EXCEPTION 'bump_counter(%, %): by = % is not allowed: expected 1 or more', name, by, by
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO lamplighter.counters AS c (name, value)
    VALUES (bump_counter.name, bump_counter.by)
    ON CONFLICT ON CONSTRAINT counters_pkey
        DO UPDATE SET value = c.value + EXCLUDED.value, updated_at = now()
    RETURNING c.value INTO result;
    RETURN result;
END
$$;

COMMENT ON FUNCTION lamplighter.bump_counter(text, bigint) IS
    'Adds by (default 1) to a change counter, creating it at 0 first; returns the new value.';

-- ---------------------------------------------------------------------------------------------
-- Epochs. Something (an ingestion, a deploy) advances a named epoch; a schedule launches when the
-- epoch moved by at least N since the epoch it last claimed. The claim is one UPDATE, so cron,
-- post-event and manual triggers racing each other launch at most once per claimed epoch.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE lamplighter.epochs (
    name       text        PRIMARY KEY,
    value      bigint      NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT epochs_name_format CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$'),
    CONSTRAINT epochs_value_non_negative CHECK (value >= 0)
);

CREATE FUNCTION lamplighter.advance_epoch(name text, by bigint DEFAULT 1) RETURNS bigint
    LANGUAGE plpgsql AS
$$
DECLARE
    result bigint;
BEGIN
    IF by IS NULL OR by < 1 THEN
        RAISE EXCEPTION 'advance_epoch(%, %): by = % is not allowed: expected 1 or more', name, by, by
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO lamplighter.epochs AS e (name, value)
    VALUES (advance_epoch.name, advance_epoch.by)
    ON CONFLICT ON CONSTRAINT epochs_pkey
        DO UPDATE SET value = e.value + EXCLUDED.value, updated_at = now()
    RETURNING e.value INTO result;
    RETURN result;
END
$$;

COMMENT ON FUNCTION lamplighter.advance_epoch(text, bigint) IS
    'Advances an epoch by (default 1), creating it at 0 first; returns the new value.';

CREATE TABLE lamplighter.epoch_claims (
    schedule_name text        NOT NULL,
    epoch_name    text        NOT NULL,
    claimed       bigint      NOT NULL DEFAULT 0,
    claimed_at    timestamptz,
    PRIMARY KEY (schedule_name, epoch_name),

    CONSTRAINT epoch_claims_claimed_non_negative CHECK (claimed >= 0)
);

COMMENT ON TABLE lamplighter.epoch_claims IS 'The epoch each schedule last claimed (launched for).';

-- ---------------------------------------------------------------------------------------------
-- Hysteresis: whether a schedule is "on" (went above its high watermark and has not yet gone
-- below its low one). Stored, so it survives restarts and is shared by nodes.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE lamplighter.hysteresis_state (
    schedule_name text             NOT NULL,
    condition     text             NOT NULL,
    active        boolean          NOT NULL,
    last_value    double precision,
    updated_at    timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (schedule_name, condition)
);

COMMENT ON TABLE lamplighter.hysteresis_state IS
    'Per schedule and condition: on above the high watermark, off below the low one, unchanged between.';

-- ---------------------------------------------------------------------------------------------
-- What a launched job consumes when it succeeds: {"counter name": value, ...}.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE lamplighter.jobs ADD COLUMN consumes jsonb;
ALTER TABLE lamplighter.jobs ADD CONSTRAINT jobs_consumes_object
    CHECK (consumes IS NULL OR jsonb_typeof(consumes) = 'object');

COMMENT ON COLUMN lamplighter.jobs.consumes IS
    'Counter values this job consumes when it completes: {"counter": value}. Applied in the completing transaction.';
