-- Lamplighter schema, version 12: the claim's first index goes.
--
-- jobs_claimable (priority DESC, run_at, job_id) WHERE status = 'queued' served the claim before
-- V8 added jobs_claim_by_type (job_type, priority DESC, run_at, job_id) with the same predicate.
-- Every claim reads one job type at a time (sql/jobs/claim_batch.sql, claim_limited.sql), which
-- the newer index serves in claim order. Kept, the older one cost a write on every job that became
-- queued, and it gave the planner a second ordered path that reads past the rows of job types the
-- node does not handle (ClaimPlanTest).
DROP INDEX IF EXISTS lamplighter.jobs_claimable;
