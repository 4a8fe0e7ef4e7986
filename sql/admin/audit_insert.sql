-- The admin API's audit row, written in the transaction of the change it records (V11).
-- :now is null in production (the database clock).
INSERT INTO lamplighter.admin_audit (at, actor, action, target, detail, remote_address)
VALUES (coalesce(CAST(:now AS timestamptz), now()), CAST(:actor AS text), CAST(:action AS text),
        CAST(:target AS text), CAST(:detail AS jsonb), CAST(:remote AS text))
RETURNING id
