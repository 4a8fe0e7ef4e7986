-- There only while a race runs (drop_instant_worker_trigger.sql).
CREATE TRIGGER chaos_race_instant_worker
    BEFORE INSERT ON lamplighter.jobs
    FOR EACH ROW
    WHEN (NEW.job_type = 'chaos_race')
    EXECUTE FUNCTION public.chaos_race_instant_worker()
