-- The job that holds a dedup key. Positional parameter: dedup_key.
SELECT job_id FROM lamplighter.jobs WHERE dedup_key = CAST(? AS text)
