-- Lamplighter schema, version 13: pause the cluster, drain one node, and what each node declares.
--
-- cluster_state: one row. While paused, no node checks a schedule and no worker claims a job;
-- jobs already running finish, and enqueue still works (the jobs wait in the queue). An operator
-- pauses with one statement (sql/cookbook/pause.sql):
--     UPDATE lamplighter.cluster_state SET paused = true, reason = 'db maintenance';
-- and resumes with paused = false (sql/cookbook/resume.sql). The trigger below fills paused_by
-- (the session's user) and paused_at (now) when the statement does not, clears all three on
-- resume, and sends NOTIFY lamplighter_cluster so that listening nodes follow at once; the others
-- read the row at their next heartbeat (30 s) or poll tick.
--
-- The table holds one row: its key is a boolean that must be true (so there is at most one), and a
-- DELETE is refused (so there is always one; TRUNCATE, which tests use, is not a DELETE, and every
-- reader treats a missing row as "not paused").
CREATE TABLE lamplighter.cluster_state (
    id         boolean     PRIMARY KEY DEFAULT true,
    paused     boolean     NOT NULL DEFAULT false,
    reason     text,
    paused_by  text,
    paused_at  timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT cluster_state_one_row CHECK (id),
    CONSTRAINT cluster_state_reason_when_paused
        CHECK (NOT paused OR (reason IS NOT NULL AND btrim(reason) <> '' AND length(reason) <= 500))
);

COMMENT ON TABLE lamplighter.cluster_state IS
    'One row. paused = true stops every poll loop and every claim; running jobs finish; enqueue still works.';

INSERT INTO lamplighter.cluster_state (id) VALUES (true);

CREATE FUNCTION lamplighter.cluster_state_fill() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'lamplighter.cluster_state keeps its one row: resume with UPDATE lamplighter.cluster_state SET paused = false';
    END IF;
    IF NEW.paused THEN
        IF TG_OP = 'INSERT' OR NOT OLD.paused THEN
            NEW.paused_at := coalesce(NEW.paused_at, now());
            NEW.paused_by := coalesce(NEW.paused_by, session_user);
        END IF;
    ELSE
        NEW.reason := NULL;
        NEW.paused_by := NULL;
        NEW.paused_at := NULL;
    END IF;
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER cluster_state_fill
    BEFORE INSERT OR UPDATE OR DELETE ON lamplighter.cluster_state
    FOR EACH ROW EXECUTE FUNCTION lamplighter.cluster_state_fill();

CREATE FUNCTION lamplighter.cluster_state_notify() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('lamplighter_cluster', CASE WHEN NEW.paused THEN 'paused' ELSE 'resumed' END);
    RETURN NULL;
END
$$;

CREATE TRIGGER cluster_state_notify
    AFTER INSERT OR UPDATE ON lamplighter.cluster_state
    FOR EACH ROW EXECUTE FUNCTION lamplighter.cluster_state_notify();

-- nodes: drain one node, and what it declared.
--   drain_requested_at / drain_requested_by: set by `lamplighter drain NODE` (or by SQL,
--     sql/cookbook/drain.sql); that node stops checking schedules and claiming jobs, gives its
--     prefetched jobs back, lets the running ones finish, then sets drained_at. Cleared by
--     `lamplighter undrain NODE`; a node that starts (again) under the same id starts undrained.
--   declared_schedules: the names of the schedules the node declares in code, written when it
--     announces itself, so that `lamplighter drift` can tell per live node what is declared where.
ALTER TABLE lamplighter.nodes
    ADD COLUMN drain_requested_at timestamptz,
    ADD COLUMN drain_requested_by text,
    ADD COLUMN drained_at         timestamptz,
    ADD COLUMN declared_schedules text[] NOT NULL DEFAULT '{}';

COMMENT ON COLUMN lamplighter.nodes.drain_requested_at IS
    'Set: the node checks no schedule and claims no job; drained_at is set once it runs nothing.';

CREATE FUNCTION lamplighter.nodes_drain_notify() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('lamplighter_cluster', 'drain:' || NEW.node_id);
    RETURN NULL;
END
$$;

CREATE TRIGGER nodes_drain_notify
    AFTER UPDATE OF drain_requested_at ON lamplighter.nodes
    FOR EACH ROW
    WHEN (OLD.drain_requested_at IS DISTINCT FROM NEW.drain_requested_at)
    EXECUTE FUNCTION lamplighter.nodes_drain_notify();

-- The audit trail records the new operator changes.
ALTER TABLE lamplighter.admin_audit DROP CONSTRAINT admin_audit_action_known;
ALTER TABLE lamplighter.admin_audit ADD CONSTRAINT admin_audit_action_known
    CHECK (action IN ('schedule.trigger', 'schedule.enable', 'schedule.disable',
                      'job.approve', 'job.reject', 'job.retry', 'job.cancel',
                      'cluster.pause', 'cluster.resume', 'node.drain', 'node.undrain'));

-- The roles of sql/cookbook/grants.sql, where they exist already (running that file grants it too).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lamplighter_reader') THEN
        GRANT SELECT ON lamplighter.cluster_state TO lamplighter_reader;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lamplighter_operator') THEN
        GRANT SELECT, INSERT (id, paused, reason, paused_by, paused_at), UPDATE (paused, reason, paused_by, paused_at)
            ON lamplighter.cluster_state TO lamplighter_operator;
        GRANT UPDATE (drain_requested_at, drain_requested_by, drained_at) ON lamplighter.nodes TO lamplighter_operator;
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'Lamplighter: cannot grant on lamplighter.cluster_state as %: run sql/cookbook/grants.sql', current_user;
END
$$;
