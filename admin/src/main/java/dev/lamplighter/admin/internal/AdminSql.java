package dev.lamplighter.admin.internal;

import dev.lamplighter.internal.SqlFiles;

/**
 * Every statement the admin API runs, loaded when this class initialises, so that a missing file
 * fails at start-up. The schedule views and changes are the CLI's own statements; the job changes
 * are the cookbook's on the API's clock. Not API.
 */
final class AdminSql {

    // Shared with the CLI (one statement, one file).
    static final String SCHEDULES = SqlFiles.load("cli/status");
    static final String SCHEDULE_NAMES = SqlFiles.load("cli/schedule_names");
    static final String SCHEDULE_STATE = SqlFiles.load("cli/schedule_state");
    static final String DECISIONS = SqlFiles.load("cli/decisions");
    static final String ENABLE = SqlFiles.load("cli/enable");
    static final String DISABLE = SqlFiles.load("cli/disable");
    /** Positional: now, trigger source, name (shared with LamplighterClient.trigger). */
    static final String TRIGGER = SqlFiles.load("scheduled_jobs/trigger");

    static final String SCHEDULE_GET = SqlFiles.load("admin/schedule_get");
    static final String SCHEDULE_LOCK = SqlFiles.load("admin/schedule_lock");
    static final String JOB_GET = SqlFiles.load("admin/job_get");
    static final String JOB_LOCK = SqlFiles.load("admin/job_lock");
    static final String JOBS_LIST = SqlFiles.load("admin/jobs_list");
    static final String JOB_APPROVE = SqlFiles.load("admin/job_approve");
    static final String JOB_REJECT = SqlFiles.load("admin/job_reject");
    static final String JOB_RETRY = SqlFiles.load("admin/job_retry");
    static final String JOB_CANCEL = SqlFiles.load("admin/job_cancel");
    static final String NODES = SqlFiles.load("admin/nodes_list");
    static final String AUDIT_INSERT = SqlFiles.load("admin/audit_insert");
    static final String HEALTH = SqlFiles.load("admin/health");
    static final String METRICS = SqlFiles.load("admin/metrics");
    /** The page's chart: checks per schedule and hour over the last day. */
    static final String DECISIONS_PER_HOUR = SqlFiles.load("admin/decisions_per_hour");

    private AdminSql() {
    }
}
