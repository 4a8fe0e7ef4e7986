-- Lamplighter schema, version 10: concurrency limits per job type, and exclusive job types.
--
-- One row per job type that has (or had) a limit. No row, or a row with max_running NULL and
-- exclusive false, means no limit: the claim of such a type is the plain one (sql/jobs/claim_batch.sql).
-- A limited type is claimed under a transaction-level advisory lock keyed by its name
-- (sql/jobs/claim_limited_lock.sql), which counts its running jobs and claims at most the rest
-- (sql/jobs/claim_limited.sql): only claims of the same limited type wait for each other.
--
-- Operators own the rows through SQL (sql/cookbook/job_type_limits.sql): a change takes effect at
-- every node's next claim. Limits declared in code (Lamplighter.Builder.limit / exclusive) are
-- registered at start; as with scheduled_jobs.declared, a column an operator changed by SQL keeps
-- the operator's value across restarts.
CREATE TABLE lamplighter.job_types (
    job_type    text        PRIMARY KEY,
    max_running integer,
    exclusive   boolean     NOT NULL DEFAULT false,
    declared    jsonb,
    updated_at  timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT job_types_job_type_not_blank CHECK (btrim(job_type) <> ''),
    CONSTRAINT job_types_max_running_positive CHECK (max_running IS NULL OR max_running >= 1),
    CONSTRAINT job_types_declared_object CHECK (declared IS NULL OR jsonb_typeof(declared) = 'object')
);

COMMENT ON TABLE lamplighter.job_types IS
    'Concurrency limits per job type. max_running: at most this many jobs of the type running (or claimed) across all nodes; NULL: no limit. exclusive: at most one, anywhere (overrides max_running), and a job whose lease ran out goes back to the queue only once its node is gone or silent (see docs/design.md).';
COMMENT ON COLUMN lamplighter.job_types.max_running IS
    'At most this many jobs of the type in status running at once, across the cluster (1 or more); NULL: no limit.';
COMMENT ON COLUMN lamplighter.job_types.exclusive IS
    'At most one job of the type running anywhere (as max_running = 1, whatever max_running says), for jobs that touch money.';
COMMENT ON COLUMN lamplighter.job_types.declared IS
    'What code declared last time ({"max_running": .., "exclusive": ..}); NULL for a row written by SQL. The registrar follows the code only for columns that still hold this value.';

-- updated_at follows every change, whoever makes it.
CREATE FUNCTION lamplighter.job_types_touch() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER job_types_touch
    BEFORE UPDATE ON lamplighter.job_types
    FOR EACH ROW EXECUTE FUNCTION lamplighter.job_types_touch();

-- Per job type with a limit: the limit and what runs against it (claimed jobs waiting in a
-- node's prefetch buffer count as running: they are 'running' rows).
CREATE VIEW lamplighter.job_type_limits AS
SELECT t.job_type,
       CASE WHEN t.exclusive THEN 1 ELSE t.max_running END AS effective_limit,
       t.max_running,
       t.exclusive,
       (SELECT count(*) FROM lamplighter.jobs j WHERE j.status = 'running' AND j.job_type = t.job_type) AS running,
       (SELECT count(*) FROM lamplighter.jobs j WHERE j.status = 'queued' AND j.job_type = t.job_type)  AS queued,
       t.declared IS NOT NULL AS declared_in_code,
       t.updated_at
FROM lamplighter.job_types t;

COMMENT ON VIEW lamplighter.job_type_limits IS
    'One row per job type in lamplighter.job_types: its effective limit (1 when exclusive; NULL: none) and how many of its jobs run and wait now.';

-- The people's roles of sql/cookbook/grants.sql, when they exist already (grants.sql, run again
-- after an upgrade, grants the same).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lamplighter_reader') THEN
        GRANT SELECT ON lamplighter.job_types, lamplighter.job_type_limits TO lamplighter_reader;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lamplighter_operator') THEN
        GRANT SELECT ON lamplighter.job_types, lamplighter.job_type_limits TO lamplighter_operator;
        GRANT INSERT (job_type, max_running, exclusive), UPDATE (max_running, exclusive)
            ON lamplighter.job_types TO lamplighter_operator;
    END IF;
END
$$;
