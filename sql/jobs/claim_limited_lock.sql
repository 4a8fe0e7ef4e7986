-- Takes the claim lock of one limited job type (lamplighter.job_types) until the end of the
-- transaction: the claims of that type, on every node, run one after the other; claims of other
-- types never wait for it. Transaction-scoped (works behind PgBouncer in transaction mode; nothing
-- to release if the node dies). Key: the namespace 1280068180 ('LLJT') and hashtext(job_type);
-- two types whose names hash alike share a lock, which costs waiting, never correctness.
-- claim_limited.sql follows in the same transaction, as a statement of its own, so that its
-- snapshot, taken after the lock was granted, sees every claim of the type committed before.
SELECT pg_advisory_xact_lock(1280068180, hashtext(CAST(:jobType AS text)))
