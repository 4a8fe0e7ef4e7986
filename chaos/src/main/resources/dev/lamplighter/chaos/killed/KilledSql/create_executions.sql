-- Every run of a handler of the killed-workers program, written by the handler itself on a
-- connection of its own (autocommit), outside Lamplighter's transactions: a row survives a kill -9.
CREATE TABLE IF NOT EXISTS public.chaos_executions (
    execution_id bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id       bigint      NOT NULL,
    attempt      integer     NOT NULL,
    node         text        NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at  timestamptz
)
