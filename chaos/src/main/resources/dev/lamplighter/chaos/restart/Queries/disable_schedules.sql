UPDATE lamplighter.scheduled_jobs SET enabled = false WHERE name LIKE :prefix || '%'
