-- The race's jobs: how many, how many no 'launched' decision names, and how many share a slot
-- (dedup key) with another. (A join to the launched ids, not NOT EXISTS per job: decision_log has
-- no index on job_id, and a plan that scans it once per job takes hours at 100,000 jobs.)
WITH launched AS (
    SELECT DISTINCT d.job_id
    FROM lamplighter.decision_log d
    WHERE d.schedule_name LIKE 'race-%'
      AND d.outcome = 'launched'
      AND d.job_id IS NOT NULL
)
SELECT count(*)                                  AS jobs,
       count(*) FILTER (WHERE l.job_id IS NULL)  AS unlogged,
       count(*) - count(DISTINCT j.dedup_key)    AS same_slot
FROM lamplighter.jobs j
LEFT JOIN launched l ON l.job_id = j.job_id
WHERE j.schedule_name LIKE 'race-%'
