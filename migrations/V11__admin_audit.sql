-- Lamplighter schema, version 11: the audit trail of the admin HTTP API.
--
-- Every change made through the admin API (trigger, enable, disable a schedule; approve, reject,
-- retry, cancel a job) writes one row here in the same transaction as the change itself: the
-- change and its audit row commit together or not at all. Reads are not audited.
--
-- actor: who asked, from the request's X-Actor header, or 'token' when it has none (the token
-- proves the caller may act, not who it is). remote_address: the client's address as the admin
-- server saw it (a proxy's, behind one). detail: what the change found before it acted (the
-- schedule's enabled and next_run, the job's status) and the reason the caller gave, if any.
--
-- The job statuses need no change: 'cancelled' and 'rejected' are allowed since V1.
CREATE TABLE lamplighter.admin_audit (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT now(),
    actor          text        NOT NULL,
    action         text        NOT NULL,
    target         text        NOT NULL,
    detail         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    remote_address text,

    CONSTRAINT admin_audit_actor_not_blank CHECK (btrim(actor) <> ''),
    CONSTRAINT admin_audit_action_known
        CHECK (action IN ('schedule.trigger', 'schedule.enable', 'schedule.disable',
                          'job.approve', 'job.reject', 'job.retry', 'job.cancel')),
    CONSTRAINT admin_audit_detail_object CHECK (jsonb_typeof(detail) = 'object')
);

COMMENT ON TABLE lamplighter.admin_audit IS
    'Every change made through the admin HTTP API, written in the same transaction as the change.';
COMMENT ON COLUMN lamplighter.admin_audit.actor IS
    'Who asked: the X-Actor header of the request, or ''token'' when it had none.';

CREATE INDEX admin_audit_at ON lamplighter.admin_audit (at DESC);
CREATE INDEX admin_audit_target ON lamplighter.admin_audit (target, at DESC);

-- lamplighter_reader (and so lamplighter_operator) may read the audit trail. The roles come from
-- sql/cookbook/grants.sql; where they do not exist yet, running that file later grants it too.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lamplighter_reader') THEN
        GRANT SELECT ON lamplighter.admin_audit TO lamplighter_reader;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lamplighter_operator') THEN
        GRANT SELECT ON lamplighter.admin_audit TO lamplighter_operator;
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'Lamplighter: cannot grant SELECT on lamplighter.admin_audit as %: run sql/cookbook/grants.sql', current_user;
END
$$;
