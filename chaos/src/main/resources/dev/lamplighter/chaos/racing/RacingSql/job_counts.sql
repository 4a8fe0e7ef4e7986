-- The race's jobs: how many, how many no 'launched' decision names, and how many share a slot
-- (dedup key) with another.
SELECT count(*)                                            AS jobs,
       count(*) FILTER (WHERE NOT EXISTS (
           SELECT 1 FROM lamplighter.decision_log d
           WHERE d.job_id = j.job_id AND d.outcome = 'launched')) AS unlogged,
       count(*) - count(DISTINCT j.dedup_key)              AS same_slot
FROM lamplighter.jobs j
WHERE j.schedule_name LIKE 'race-%'
