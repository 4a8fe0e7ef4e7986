-- Records one rescue into public.chaos_rescues.
CREATE OR REPLACE FUNCTION public.chaos_record_rescue() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    INSERT INTO public.chaos_rescues (job_id, attempt, from_node, last_error)
    VALUES (OLD.job_id, OLD.attempts, OLD.locked_by, NEW.last_error);
    RETURN NULL;
END
$$
