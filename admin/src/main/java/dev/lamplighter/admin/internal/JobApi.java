package dev.lamplighter.admin.internal;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code /api/jobs}: the list with its filters and paging, one job, and approve, reject, retry,
 * cancel with their audit rows. Not API.
 */
final class JobApi {

    /** Every status the schema allows (jobs_status_known, V1). */
    static final List<String> STATUSES = List.of("awaiting_approval", "queued", "running", "completed", "failed",
            "cancelled", "rejected");
    static final int MAX_LIMIT = 1000;
    static final int DEFAULT_LIMIT = 100;
    private static final int MAX_TYPE_LENGTH = 200;

    /** An action on one job: its statement and the statuses it applies to. */
    enum Action {
        APPROVE("approve", AdminSql.JOB_APPROVE, List.of("awaiting_approval")),
        REJECT("reject", AdminSql.JOB_REJECT, List.of("awaiting_approval")),
        RETRY("retry", AdminSql.JOB_RETRY, List.of("failed", "cancelled")),
        CANCEL("cancel", AdminSql.JOB_CANCEL, List.of("queued", "awaiting_approval"));

        final String verb;
        final String sql;
        final List<String> from;

        Action(String verb, String sql, List<String> from) {
            this.verb = verb;
            this.sql = sql;
            this.from = from;
        }
    }

    private final Jdbi jdbi;
    private final Clock clock;

    JobApi(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    private Instant now() {
        return clock == null ? null : clock.instant();
    }

    void list(Context ctx) {
        Requests.onlyParams(ctx, Set.of("status", "schedule", "type", "limit", "before"));
        String status = Requests.single(ctx, "status");
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.badRequest("status", status, "one of " + STATUSES);
        }
        String schedule = Requests.single(ctx, "schedule");
        if (schedule != null && !Requests.SCHEDULE_NAME.matcher(schedule).matches()) {
            throw ApiException.badRequest("schedule", schedule, Requests.SCHEDULE_NAME_ALLOWED);
        }
        String type = Requests.single(ctx, "type");
        if (type != null && (type.isBlank() || type.length() > MAX_TYPE_LENGTH)) {
            throw ApiException.badRequest("type", type, "a job type of 1 to " + MAX_TYPE_LENGTH + " characters");
        }
        int limit = Requests.intParam(ctx, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        String beforeText = Requests.single(ctx, "before");
        Long before = beforeText == null ? null
                : Requests.positiveLong("before", beforeText, "a job id (next_before of the previous page): a whole number from 1 to "
                        + Long.MAX_VALUE);
        List<Map<String, Object>> rows = jdbi.withHandle(h -> {
            // As the CLI's `history --schedule`: a filter on a schedule that does not exist is a typo.
            if (schedule != null && h.createQuery(AdminSql.SCHEDULE_STATE).bind("name", schedule).mapToMap().findOne().isEmpty()) {
                throw ScheduleApi.notFound(h, schedule, "schedule");
            }
            return h.createQuery(AdminSql.JOBS_LIST)
                .bind("status", status).bind("schedule", schedule).bind("type", type)
                    .bind("before", before).bind("limit", limit)
                    .map(Rows.JSON).list();
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", rows.size());
        body.put("jobs", rows);
        body.put("next_before", rows.size() == limit ? rows.get(rows.size() - 1).get("job_id") : null);
        AdminServer.json(ctx, 200, body);
    }

    void get(Context ctx) {
        Requests.onlyParams(ctx, Set.of());
        long id = Requests.jobId(ctx);
        Map<String, Object> job = jdbi.withHandle(h -> h.createQuery(AdminSql.JOB_GET).bind("job_id", id).map(Rows.JSON)
                .findOne().orElseThrow(() -> notFound(id)));
        AdminServer.json(ctx, 200, job);
    }

    /** POST /api/jobs/{id}/{approve|reject|retry|cancel}. */
    void change(Context ctx, Action action) {
        Requests.onlyParams(ctx, Set.of());
        long id = Requests.jobId(ctx);
        AdminServer.json(ctx, 200, apply(id, action, Requests.caller(ctx)));
    }

    /**
     * Approve, reject, retry or cancel job {@code id} with its audit row, in one transaction; the
     * API and the page both call this. Throws {@link ApiException} (404, 409) and writes nothing when refused.
     */
    Map<String, Object> apply(long id, Action action, Audit.Caller caller) {
        Instant now = now();
        return jdbi.inTransaction(h -> {
            Map<String, Object> before = h.createQuery(AdminSql.JOB_LOCK).bind("job_id", id).map(Rows.JSON)
                    .findOne().orElseThrow(() -> notFound(id));
            Object status = before.get("status");
            if (!action.from.contains(status)) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("field", "status");
                d.put("value", status);
                d.put("allowed", action.from);
                throw ApiException.conflict("job " + id + " is " + status + ": " + action.verb + " applies only to a job that is "
                        + String.join(" or ", action.from), d);
            }
            var update = h.createUpdate(action.sql).bind("job_id", id).bind("now", now);
            if (action == Action.REJECT || action == Action.CANCEL) {
                update.bind("actor", caller.actor());
            }
            update.execute();
            long auditId = Audit.write(h, now, caller, "job." + action.verb, "job:" + id, Map.of("before", before));
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("action", "job." + action.verb);
            b.put("target", "job:" + id);
            b.put("actor", caller.actor());
            b.put("audit_id", auditId);
            b.put("job", h.createQuery(AdminSql.JOB_GET).bind("job_id", id).map(Rows.JSON).one());
            return b;
        });
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("job with job_id", "id", id, "GET /api/jobs lists the jobs there are");
    }
}
