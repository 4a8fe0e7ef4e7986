-- Lamplighter schema, version 14: leader-elected singleton services.
--
-- One row per singleton (a long-lived loop that must run on exactly one node at a time, registered
-- with Lamplighter.Builder.singleton). A node holds it while owner is its node id and lease_until
-- is in the future by the database's clock; it renews the lease every lease/3 and releases it at a
-- clean stop. token grows by one at every acquisition (a takeover, or the same node again after a
-- release or a lost lease): the fencing token an application stores with its writes, so that a
-- write of an older holder can be refused. A lease row rather than a session advisory lock: it
-- works behind PgBouncer in transaction mode, a lost connection does not silently lose (or keep) it,
-- it carries the fencing token, and operators see it with SQL (sql/cookbook/singletons.sql).
-- See docs/design.md, "Singleton services".
CREATE TABLE lamplighter.singletons (
    name          text        PRIMARY KEY,
    owner         text,
    token         bigint      NOT NULL DEFAULT 0,
    lease_until   timestamptz,
    acquired_at   timestamptz,
    renewed_at    timestamptz,
    released_at   timestamptz,
    failures      integer     NOT NULL DEFAULT 0,
    last_error    text,
    last_error_at timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT singletons_name_valid CHECK (name ~ '^[A-Za-z0-9_.:@-]{1,128}$'),
    CONSTRAINT singletons_token_not_negative CHECK (token >= 0),
    CONSTRAINT singletons_failures_not_negative CHECK (failures >= 0),
    CONSTRAINT singletons_owner_has_lease CHECK ((owner IS NULL) = (lease_until IS NULL))
);

COMMENT ON TABLE lamplighter.singletons IS
    'Leader-elected singleton services: who holds each (owner, until lease_until by the database clock) and its fencing token.';
COMMENT ON COLUMN lamplighter.singletons.token IS
    'Fencing token: one more at every acquisition. An application stores it with its writes and refuses a write with an older one.';
COMMENT ON COLUMN lamplighter.singletons.failures IS
    'How many times the service threw since its holder acquired it (reset at each acquisition); last_error is the latest.';

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lamplighter_reader') THEN
        GRANT SELECT ON lamplighter.singletons TO lamplighter_reader;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lamplighter_operator') THEN
        GRANT SELECT ON lamplighter.singletons TO lamplighter_operator;
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'Lamplighter: cannot grant SELECT on lamplighter.singletons as %: run sql/cookbook/grants.sql', current_user;
END
$$;
