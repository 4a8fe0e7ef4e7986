-- Every rescue of a job (a running attempt whose lease expired, put back or failed), with the
-- node it was taken from; written by the trigger of create_rescue_trigger.sql.
CREATE TABLE IF NOT EXISTS public.chaos_rescues (
    job_id     bigint      NOT NULL,
    attempt    integer     NOT NULL,
    from_node  text        NOT NULL,
    last_error text        NOT NULL,
    rescued_at timestamptz NOT NULL DEFAULT clock_timestamp()
)
