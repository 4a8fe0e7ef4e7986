-- The CLI's `disable`.
UPDATE lamplighter.scheduled_jobs SET enabled = false WHERE name = :name
