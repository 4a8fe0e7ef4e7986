-- The race's stand-in for the workers, infinitely fast: a job of the race is stored completed as
-- it is inserted, so that the one-instance rule never holds a schedule's next slot back, and the
-- transaction that launched it tells the program (NOTIFY chaos_race_launched, one per transaction).
CREATE OR REPLACE FUNCTION public.chaos_race_instant_worker() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    NEW.status := 'completed';
    NEW.completed_at := NEW.run_at;
    PERFORM pg_notify('chaos_race_launched', '');
    RETURN NEW;
END
$$
