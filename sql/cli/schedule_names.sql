-- Every schedule's name, for the CLI's "no schedule named ...: expected one of ..." message.
SELECT name
FROM lamplighter.scheduled_jobs
ORDER BY name
