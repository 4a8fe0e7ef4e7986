-- Lamplighter schema, version 15: values the broken-rows program (chaos/BrokenRows) found that the
-- database accepted although no check can use them. Each broke more than its own row: an infinite
-- interval made the due list's statement fail for every schedule checked with it, a NULL among
-- the required capabilities stopped the report of schedules a node cannot check, and a queued job
-- whose attempts had reached max_attempts (or the integer limit) made every claim of its type fail.
--
-- NOT VALID: a database that already holds such a row still migrates (the poll loop and the queue
-- tolerate those rows); every later INSERT or UPDATE is checked.

ALTER TABLE lamplighter.scheduled_jobs ADD CONSTRAINT scheduled_jobs_interval_finite
    CHECK (schedule_interval IS NULL OR isfinite(schedule_interval)) NOT VALID;

ALTER TABLE lamplighter.scheduled_jobs ADD CONSTRAINT scheduled_jobs_misfire_grace_finite
    CHECK (misfire_grace IS NULL OR isfinite(misfire_grace)) NOT VALID;

-- Every required capability is a name a node can offer (LAMPLIGHTER_CAPABILITIES): no NULL, no ''.
ALTER TABLE lamplighter.scheduled_jobs ADD CONSTRAINT scheduled_jobs_requires_names
    CHECK (array_position(requires, NULL) IS NULL AND '' <> ALL (requires)) NOT VALID;

-- A queued job has an attempt left: the claim adds one to attempts, which then stays within
-- max_attempts (and within integer range). Put a failed job back with sql/cookbook/job_retry.sql,
-- which resets attempts, rather than by setting its status alone.
ALTER TABLE lamplighter.jobs ADD CONSTRAINT jobs_queued_has_an_attempt_left
    CHECK (status <> 'queued' OR attempts < max_attempts) NOT VALID;
