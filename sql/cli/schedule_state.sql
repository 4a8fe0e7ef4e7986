-- Whether a schedule exists, and whether it is enabled: the CLI checks before it changes or lists one.
SELECT enabled
FROM lamplighter.scheduled_jobs
WHERE name = :name
