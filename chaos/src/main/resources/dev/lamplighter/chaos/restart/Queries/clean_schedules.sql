DELETE FROM lamplighter.scheduled_jobs WHERE name LIKE :prefix || '%'
