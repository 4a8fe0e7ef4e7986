DROP TRIGGER IF EXISTS chaos_race_instant_worker ON lamplighter.jobs
