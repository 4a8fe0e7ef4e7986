-- Lamplighter schema, version 1.
--
-- This folder is the only source of the schema. Lamplighter applies it at start-up with Flyway
-- (set LAMPLIGHTER_MIGRATE=false to opt out); a team's own Flyway can apply the same files from
-- the classpath location `classpath:lamplighter/migrations`.

CREATE SCHEMA IF NOT EXISTS lamplighter;

-- ---------------------------------------------------------------------------------------------
-- scheduled_jobs: one row per schedule. Operators own these rows through SQL.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE lamplighter.scheduled_jobs (
    name              text        PRIMARY KEY,
    launcher          text        NOT NULL,
    job_type          text        NOT NULL,
    schedule_cron     text,
    schedule_interval interval,
    time_zone         text        NOT NULL DEFAULT 'UTC',
    enabled           boolean     NOT NULL DEFAULT true,
    next_run          timestamptz NOT NULL DEFAULT now(),
    last_run          timestamptz,
    last_success      timestamptz,
    last_outcome      text,
    last_error        text,
    retry_count       integer     NOT NULL DEFAULT 0,
    max_retries       integer     NOT NULL DEFAULT 5,
    params            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    automation        text        NOT NULL DEFAULT 'autonomous',
    priority          integer     NOT NULL DEFAULT 0,
    max_attempts      integer     NOT NULL DEFAULT 3,
    declared          jsonb,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT scheduled_jobs_name_format
        CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$'),
    CONSTRAINT scheduled_jobs_launcher_not_blank CHECK (btrim(launcher) <> ''),
    CONSTRAINT scheduled_jobs_job_type_not_blank CHECK (btrim(job_type) <> ''),
    CONSTRAINT scheduled_jobs_one_schedule
        CHECK (num_nonnulls(schedule_cron, schedule_interval) = 1),
    CONSTRAINT scheduled_jobs_cron_has_five_fields
        CHECK (schedule_cron IS NULL
               OR array_length(regexp_split_to_array(btrim(schedule_cron), '\s+'), 1) = 5),
    CONSTRAINT scheduled_jobs_interval_positive
        CHECK (schedule_interval IS NULL OR schedule_interval > interval '0'),
    CONSTRAINT scheduled_jobs_time_zone_not_blank CHECK (btrim(time_zone) <> ''),
    CONSTRAINT scheduled_jobs_last_outcome_known
        CHECK (last_outcome IS NULL OR last_outcome IN ('launched', 'skipped', 'failed')),
    CONSTRAINT scheduled_jobs_retry_count_non_negative CHECK (retry_count >= 0),
    CONSTRAINT scheduled_jobs_max_retries_positive CHECK (max_retries >= 1),
    CONSTRAINT scheduled_jobs_max_attempts_positive CHECK (max_attempts >= 1),
    CONSTRAINT scheduled_jobs_params_object CHECK (jsonb_typeof(params) = 'object'),
    CONSTRAINT scheduled_jobs_automation_known CHECK (automation IN ('autonomous', 'hitl'))
);

COMMENT ON TABLE lamplighter.scheduled_jobs IS
    'One row per schedule. Disable: SET enabled = false. Enable: SET enabled = true, retry_count = 0. Trigger: SET next_run = now().';
COMMENT ON COLUMN lamplighter.scheduled_jobs.last_run IS 'When the launcher last checked its conditions.';
COMMENT ON COLUMN lamplighter.scheduled_jobs.last_success IS 'When the launcher last launched a job.';
COMMENT ON COLUMN lamplighter.scheduled_jobs.declared IS
    'The definition as last declared in code (null for rows written by SQL). At start-up a column follows a changed declaration only while it still holds the previous declared value, so operator changes win.';
COMMENT ON COLUMN lamplighter.scheduled_jobs.retry_count IS 'Consecutive launcher failures; reset by any clean check (launch or skip).';

CREATE INDEX scheduled_jobs_due ON lamplighter.scheduled_jobs (next_run) WHERE enabled;

-- ---------------------------------------------------------------------------------------------
-- jobs: the queue and its history.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE lamplighter.jobs (
    job_id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_type      text        NOT NULL,
    status        text        NOT NULL DEFAULT 'queued',
    payload       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    schedule_name text,
    is_system_job boolean     NOT NULL DEFAULT false,
    job_source    text        NOT NULL DEFAULT 'api',
    priority      integer     NOT NULL DEFAULT 0,
    run_at        timestamptz NOT NULL DEFAULT now(),
    attempts      integer     NOT NULL DEFAULT 0,
    max_attempts  integer     NOT NULL DEFAULT 3,
    locked_by     text,
    locked_until  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    started_at    timestamptz,
    completed_at  timestamptz,
    last_error    text,
    result        jsonb,
    dedup_key     text,

    CONSTRAINT jobs_job_type_not_blank CHECK (btrim(job_type) <> ''),
    CONSTRAINT jobs_status_known
        CHECK (status IN ('awaiting_approval', 'queued', 'running', 'completed', 'failed',
                          'cancelled', 'rejected')),
    CONSTRAINT jobs_job_source_known CHECK (job_source IN ('scheduled_task', 'api', 'manual')),
    CONSTRAINT jobs_attempts_non_negative CHECK (attempts >= 0),
    CONSTRAINT jobs_max_attempts_positive CHECK (max_attempts >= 1),
    CONSTRAINT jobs_payload_object CHECK (jsonb_typeof(payload) = 'object'),
    CONSTRAINT jobs_running_is_locked
        CHECK (status <> 'running' OR (locked_by IS NOT NULL AND locked_until IS NOT NULL))
);

COMMENT ON TABLE lamplighter.jobs IS
    'The queue and its history. Higher priority runs first; among equals, earlier run_at first.';
COMMENT ON COLUMN lamplighter.jobs.dedup_key IS
    'Unique while set. Scheduled launches use schedule name and slot, so a slot launches at most once.';

-- Dedup: at most one job per key, ever (scheduled launches: '<schedule>@<slot>').
CREATE UNIQUE INDEX jobs_dedup_key ON lamplighter.jobs (dedup_key) WHERE dedup_key IS NOT NULL;
-- Claim order for workers.
CREATE INDEX jobs_claimable ON lamplighter.jobs (priority DESC, run_at, job_id) WHERE status = 'queued';
-- One instance per schedule: is a previous job still waiting or running?
CREATE INDEX jobs_schedule_active ON lamplighter.jobs (schedule_name)
    WHERE status IN ('awaiting_approval', 'queued', 'running');
-- Expired leases, for the rescuer.
CREATE INDEX jobs_running_lease ON lamplighter.jobs (locked_until) WHERE status = 'running';
-- History, newest first.
CREATE INDEX jobs_created_at ON lamplighter.jobs (created_at DESC);

-- ---------------------------------------------------------------------------------------------
-- decision_log: every check of every schedule, with its reason and the figures it looked at.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE lamplighter.decision_log (
    decision_id    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    schedule_name  text        NOT NULL,
    slot           timestamptz NOT NULL,
    decided_at     timestamptz NOT NULL DEFAULT now(),
    outcome        text        NOT NULL,
    reason         text        NOT NULL,
    figures        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    job_id         bigint,
    trigger_source text        NOT NULL DEFAULT 'cron',
    node_id        text,
    duration_ms    double precision NOT NULL DEFAULT 0,

    CONSTRAINT decision_log_outcome_known CHECK (outcome IN ('launched', 'skipped', 'failed')),
    CONSTRAINT decision_log_trigger_source_known
        CHECK (trigger_source IN ('cron', 'event', 'manual')),
    CONSTRAINT decision_log_duration_non_negative CHECK (duration_ms >= 0),
    CONSTRAINT decision_log_figures_object CHECK (jsonb_typeof(figures) = 'object')
);

COMMENT ON TABLE lamplighter.decision_log IS
    'Every launcher check: launched, skipped or failed, why, and the figures it looked at.';

CREATE INDEX decision_log_schedule ON lamplighter.decision_log (schedule_name, decided_at DESC);
CREATE INDEX decision_log_decided_at ON lamplighter.decision_log (decided_at);

-- ---------------------------------------------------------------------------------------------
-- nodes: who is up, what each can run, who led the last tick.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE lamplighter.nodes (
    node_id         text        PRIMARY KEY,
    hostname        text        NOT NULL,
    pid             bigint      NOT NULL,
    version         text        NOT NULL,
    started_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    last_led_tick_at timestamptz,
    launchers       text[]      NOT NULL DEFAULT '{}',
    job_types       text[]      NOT NULL DEFAULT '{}'
);

COMMENT ON TABLE lamplighter.nodes IS
    'Live nodes. last_seen_at is refreshed by each node''s heartbeat; last_led_tick_at by the poll loop.';

-- schedule_status: the status query with what the cluster knows of each schedule's launcher.
CREATE VIEW lamplighter.schedule_status AS
SELECT s.name,
       s.launcher,
       coalesce(s.schedule_cron, CAST(s.schedule_interval AS text)) AS schedule,
       s.time_zone,
       s.enabled,
       s.last_run,
       s.last_success,
       s.next_run,
       s.last_outcome,
       s.retry_count,
       s.max_retries,
       s.last_error,
       EXISTS (SELECT 1
               FROM lamplighter.nodes n
               WHERE s.launcher = ANY (n.launchers)
                 AND n.last_seen_at > now() - interval '5 minutes') AS launcher_registered,
       (SELECT count(*)
        FROM lamplighter.jobs j
        WHERE j.schedule_name = s.name
          AND j.status IN ('awaiting_approval', 'queued', 'running')) AS active_jobs
FROM lamplighter.scheduled_jobs s;

COMMENT ON VIEW lamplighter.schedule_status IS
    'One row per schedule. launcher_registered is false when no node seen in the last 5 minutes can run its launcher.';

-- ---------------------------------------------------------------------------------------------
-- Triggers: keep updated_at, and wake the poll loop and the workers with NOTIFY.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION lamplighter.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER scheduled_jobs_touch
    BEFORE UPDATE ON lamplighter.scheduled_jobs
    FOR EACH ROW EXECUTE FUNCTION lamplighter.touch_updated_at();

-- Any insert or update of a schedule wakes the poll loop, except the poll loop's own writes
-- (it marks its transactions with SET LOCAL lamplighter.origin = 'poller'), which would
-- otherwise wake it again for nothing.
CREATE FUNCTION lamplighter.notify_schedule_changed() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF coalesce(current_setting('lamplighter.origin', true), '') <> 'poller' THEN
        PERFORM pg_notify('lamplighter_schedules', NEW.name);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER scheduled_jobs_notify
    AFTER INSERT OR UPDATE ON lamplighter.scheduled_jobs
    FOR EACH ROW EXECUTE FUNCTION lamplighter.notify_schedule_changed();

-- A job becoming claimable (enqueued, approved, or put back) wakes the workers. The payload is
-- the job type; PostgreSQL folds identical notifications of one transaction into one.
CREATE FUNCTION lamplighter.notify_job_queued() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('lamplighter_jobs', NEW.job_type);
    RETURN NULL;
END
$$;

CREATE TRIGGER jobs_notify_insert
    AFTER INSERT ON lamplighter.jobs
    FOR EACH ROW WHEN (NEW.status = 'queued')
    EXECUTE FUNCTION lamplighter.notify_job_queued();

CREATE TRIGGER jobs_notify_update
    AFTER UPDATE OF status ON lamplighter.jobs
    FOR EACH ROW WHEN (NEW.status = 'queued' AND OLD.status IS DISTINCT FROM 'queued')
    EXECUTE FUNCTION lamplighter.notify_job_queued();
