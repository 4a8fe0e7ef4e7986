-- The race's stand-in for the workers listens for the NOTIFY of each launch.
LISTEN lamplighter_jobs
