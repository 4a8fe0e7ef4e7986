-- Fresh statistics before the figures are read: the tables grew by 100,000s of rows in minutes.
ANALYZE lamplighter.jobs, lamplighter.decision_log, lamplighter.scheduled_jobs
