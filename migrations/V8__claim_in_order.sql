-- Lamplighter schema, version 8: an index the claim reads in claim order per job type.
--
-- The claim (sql/jobs/claim_batch.sql) takes, for each job type the node handles, the first
-- runnable rows in claim order (priority DESC, run_at, job_id) from this index, then the first of
-- those overall. Each per-type read stops at the claim's limit, so a claim costs the same with a
-- backlog of ten rows or of a million, and it does so whatever the planner's statistics say: with
-- only jobs_claimable and jobs_queued_type_run_at, statistics taken while the table was empty made
-- the planner sort every due row on each claim until autoanalyze caught up.
CREATE INDEX jobs_claim_by_type ON lamplighter.jobs (job_type, priority DESC, run_at, job_id)
    WHERE status = 'queued';
