DROP TRIGGER IF EXISTS chaos_record_rescue ON lamplighter.jobs
