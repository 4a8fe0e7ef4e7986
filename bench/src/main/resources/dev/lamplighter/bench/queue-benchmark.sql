-- The statements of QueueBenchmark, one per "-- name:" section (loaded by BenchSql). They touch
-- the bench's own tables (bench_raw_jobs, db-scheduler's scheduled_tasks) and, for Lamplighter,
-- only fill and count rows; Lamplighter's own statements run as they are in sql/.

-- name: server_settings
SELECT current_setting('server_version') AS server_version,
       current_setting('synchronous_commit') AS synchronous_commit,
       current_setting('fsync') AS fsync,
       current_setting('shared_buffers') AS shared_buffers,
       current_setting('max_connections') AS max_connections

-- name: counters
-- Write transactions (xids handed out; read-only statements take none) and WAL written so far,
-- on the whole server.
SELECT CAST(CAST(pg_snapshot_xmax(pg_current_snapshot()) AS text) AS bigint) AS xid,
       CAST(pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') AS bigint) AS wal_bytes

-- name: raw_create
CREATE TABLE IF NOT EXISTS bench_raw_jobs (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status     text        NOT NULL DEFAULT 'queued',
    payload    jsonb       NOT NULL DEFAULT '{}'::jsonb,
    done_at    timestamptz
);
CREATE INDEX IF NOT EXISTS bench_raw_jobs_queued ON bench_raw_jobs (id) WHERE status = 'queued'

-- name: raw_fill
INSERT INTO bench_raw_jobs (payload) SELECT '{}'::jsonb FROM generate_series(1, :n)

-- name: raw_claim
-- Lock up to :n queued rows, skipping rows another transaction holds; the caller runs them and
-- marks them done in the same transaction.
SELECT id, payload FROM bench_raw_jobs
WHERE status = 'queued'
ORDER BY id
LIMIT :n
FOR UPDATE SKIP LOCKED

-- name: raw_complete
UPDATE bench_raw_jobs SET status = 'done', done_at = now() WHERE id = ANY (:ids)

-- name: raw_remaining
SELECT count(*) FROM bench_raw_jobs WHERE status <> 'done'

-- name: raw_clear
TRUNCATE bench_raw_jobs

-- name: lease_create
-- The raw loop with the least a queue needs to take work back from a dead worker: a claim that
-- commits a lease (owner, expiry, attempt) so the row shows who runs it, a partial index on the
-- leases a rescuer would scan, and a completion in a transaction of its own that checks the owner.
CREATE TABLE IF NOT EXISTS bench_lease_jobs (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status       text        NOT NULL DEFAULT 'queued',
    payload      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    attempts     integer     NOT NULL DEFAULT 0,
    locked_by    text,
    locked_until timestamptz,
    done_at      timestamptz
);
CREATE INDEX IF NOT EXISTS bench_lease_jobs_queued ON bench_lease_jobs (id) WHERE status = 'queued';
CREATE INDEX IF NOT EXISTS bench_lease_jobs_running ON bench_lease_jobs (locked_until) WHERE status = 'running'

-- name: lease_fill
INSERT INTO bench_lease_jobs (payload) SELECT '{}'::jsonb FROM generate_series(1, :n)

-- name: lease_claim
-- Lease up to :n queued rows to one worker and commit; the worker runs them after the commit.
UPDATE bench_lease_jobs j
SET status = 'running', attempts = j.attempts + 1, locked_by = :worker,
    locked_until = now() + interval '5 minutes'
WHERE j.id IN (SELECT id FROM bench_lease_jobs
               WHERE status = 'queued'
               ORDER BY id
               LIMIT :n
               FOR UPDATE SKIP LOCKED)
RETURNING j.id, j.payload

-- name: lease_complete
-- Done, only where this worker still holds the lease.
UPDATE bench_lease_jobs
SET status = 'done', done_at = now(), locked_by = NULL, locked_until = NULL
WHERE id = ANY (:ids) AND locked_by = :worker AND status = 'running'

-- name: lease_remaining
SELECT count(*) FROM bench_lease_jobs WHERE status <> 'done'

-- name: lease_clear
TRUNCATE bench_lease_jobs

-- name: dbs_create
-- db-scheduler's table as its documentation gives it for PostgreSQL.
CREATE TABLE IF NOT EXISTS scheduled_tasks (
    task_name            text                     NOT NULL,
    task_instance        text                     NOT NULL,
    task_data            bytea,
    execution_time       timestamp with time zone,
    picked               boolean                  NOT NULL,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures integer,
    last_heartbeat       timestamp with time zone,
    version              bigint                   NOT NULL,
    priority             smallint,
    state                text,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX IF NOT EXISTS execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX IF NOT EXISTS last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX IF NOT EXISTS priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC)

-- name: dbs_fill
-- One-time task instances with no data, due now (as SchedulerClient.schedule would store them).
INSERT INTO scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version)
SELECT :task, 'noop-' || g, NULL, now(), false, 1 FROM generate_series(1, :n) AS g

-- name: dbs_remaining
SELECT count(*) FROM scheduled_tasks WHERE task_name = :task

-- name: dbs_clear
TRUNCATE scheduled_tasks

-- name: lamp_fill
INSERT INTO lamplighter.jobs (job_type, payload) SELECT :jobType, '{}'::jsonb FROM generate_series(1, :n)

-- name: lamp_remaining
SELECT count(*) FROM lamplighter.jobs WHERE job_type = :jobType AND status <> 'completed'

-- name: lamp_clear
DELETE FROM lamplighter.jobs WHERE job_type LIKE 'bench\_%'

-- name: lamp_schedules_fill
-- :n schedules of a launcher that always skips, none due.
INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_interval, next_run)
SELECT 'bench-tick-' || g, :launcher, 'bench_noop', interval '1 day', now() + interval '1 day'
FROM generate_series(1, :n) AS g

-- name: lamp_schedules_trigger
UPDATE lamplighter.scheduled_jobs SET next_run = now(), last_run = NULL WHERE name LIKE 'bench-tick-%'

-- name: lamp_schedules_checked
SELECT count(*) FROM lamplighter.scheduled_jobs WHERE name LIKE 'bench-tick-%' AND last_run IS NOT NULL

-- name: lamp_schedules_clear
DELETE FROM lamplighter.scheduled_jobs WHERE name LIKE 'bench-tick-%'

-- name: history_fill
-- The drain-with-history scenario: :n finished jobs of the drained type (every tenth failed),
-- completed over the last week, as a node that keeps a week of history has them.
INSERT INTO lamplighter.jobs (job_type, status, run_at, created_at, started_at, completed_at, attempts)
SELECT :jobType, CASE WHEN g % 10 = 0 THEN 'failed' ELSE 'completed' END, t, t, t, t + interval '10 milliseconds', 1
FROM generate_series(1, :n) AS g,
     LATERAL (SELECT now() - interval '7 days' + g * (interval '7 days' / :n)) AS s(t)

-- name: history_future
-- :n queued jobs of the drained type due from tomorrow on: the claim must pass them by.
INSERT INTO lamplighter.jobs (job_type, run_at)
SELECT :jobType, now() + interval '1 day' + g * interval '1 second' FROM generate_series(1, :n) AS g

-- name: history_remaining
-- Due or running jobs of the type, read through the partial indexes (a count over the whole
-- type would read the history every 10 ms of the run).
SELECT (SELECT count(*) FROM lamplighter.jobs
        WHERE status = 'queued' AND job_type = :jobType AND run_at <= now())
     + (SELECT count(*) FROM lamplighter.jobs WHERE status = 'running' AND job_type = :jobType)
