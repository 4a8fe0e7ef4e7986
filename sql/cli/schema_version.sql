-- The version the lamplighter schema is at: the last successful versioned migration in Flyway's
-- history. The read-only commands compare it with the newest migration they carry.
SELECT version
FROM lamplighter.lamplighter_schema_history
WHERE success AND version IS NOT NULL
ORDER BY installed_rank DESC
LIMIT 1
