-- The CLI's `enable`: as the seed's "SET enabled = true, retry_count = 0".
UPDATE lamplighter.scheduled_jobs SET enabled = true, retry_count = 0 WHERE name = :name
