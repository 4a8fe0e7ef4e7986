package dev.lamplighter.admin.internal;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code /api/schedules}: the CLI's status, one schedule with its recent decisions, and trigger,
 * enable, disable with their audit rows. Not API.
 */
final class ScheduleApi {

    /** Largest {@code ?decisions=} of GET /api/schedules/{name}. */
    static final int MAX_DECISIONS = 100;
    static final int DEFAULT_DECISIONS = 20;
    /** How many names a 404 lists before it only counts them. */
    private static final int NAMES_SHOWN = 20;

    private final Jdbi jdbi;
    private final Clock clock;

    ScheduleApi(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    private Instant now() {
        return clock == null ? null : clock.instant();
    }

    void list(Context ctx) {
        Requests.onlyParams(ctx, Set.of());
        List<Map<String, Object>> rows = jdbi.withHandle(h -> h.createQuery(AdminSql.SCHEDULES).map(Rows.JSON).list());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", rows.size());
        body.put("schedules", rows);
        AdminServer.json(ctx, 200, body);
    }

    void get(Context ctx) {
        Requests.onlyParams(ctx, Set.of("decisions"));
        String name = Requests.scheduleName(ctx);
        int limit = Requests.intParam(ctx, "decisions", 1, MAX_DECISIONS, DEFAULT_DECISIONS);
        Map<String, Object> body = jdbi.withHandle(h -> {
            Map<String, Object> schedule = h.createQuery(AdminSql.SCHEDULE_GET).bind("name", name).map(Rows.JSON)
                    .findOne().orElseThrow(() -> notFound(h, name, "name"));
            List<Map<String, Object>> decisions = h.createQuery(AdminSql.DECISIONS).bind("name", name).bind("limit", limit)
                    .map(Rows.JSON).list();
            // sql/cli/decisions.sql gives figures as text (for the CLI's table): JSON here.
            decisions.forEach(d -> d.computeIfPresent("figures", (k, v) -> Json.read((String) v)));
            Map<String, Object> b = new LinkedHashMap<>(schedule);
            b.put("decisions", decisions);
            return b;
        });
        AdminServer.json(ctx, 200, body);
    }

    /** POST /api/schedules/{name}/{trigger|enable|disable}. */
    void change(Context ctx, String action) {
        Requests.onlyParams(ctx, Set.of());
        String name = Requests.scheduleName(ctx);
        AdminServer.json(ctx, 200, apply(name, action, Requests.caller(ctx)));
    }

    /**
     * Trigger, enable or disable {@code name} with its audit row, in one transaction; the API and
     * the page both call this. Throws {@link ApiException} (404, 409) and writes nothing when refused.
     */
    Map<String, Object> apply(String name, String action, Audit.Caller caller) {
        Instant now = now();
        return jdbi.inTransaction(h -> {
            Map<String, Object> before = h.createQuery(AdminSql.SCHEDULE_LOCK).bind("name", name).map(Rows.JSON)
                    .findOne().orElseThrow(() -> notFound(h, name, "name"));
            switch (action) {
                case "trigger" -> {
                    if (!Boolean.TRUE.equals(before.get("enabled"))) {
                        Map<String, Object> d = new LinkedHashMap<>();
                        d.put("field", "name");
                        d.put("value", name);
                        d.put("enabled", false);
                        throw ApiException.conflict("schedule '" + name + "' is disabled, so a trigger would do nothing: "
                                + "enable it first (POST /api/schedules/" + name + "/enable)", d);
                    }
                    // The statement LamplighterClient.trigger runs: positional now, source, name.
                    h.createUpdate(AdminSql.TRIGGER).bind(0, now).bind(1, "manual").bind(2, name).execute();
                }
                case "enable" -> h.createUpdate(AdminSql.ENABLE).bind("name", name).execute();
                case "disable" -> h.createUpdate(AdminSql.DISABLE).bind("name", name).execute();
                default -> throw new IllegalArgumentException("unknown schedule action " + action);
            }
            long auditId = Audit.write(h, now, caller, "schedule." + action, "schedule:" + name, Map.of("before", before));
            Map<String, Object> after = h.createQuery(AdminSql.SCHEDULE_GET).bind("name", name).map(Rows.JSON).one();
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("action", "schedule." + action);
            b.put("target", "schedule:" + name);
            b.put("actor", caller.actor());
            b.put("audit_id", auditId);
            b.put("schedule", after);
            return b;
        });
    }

    /** 404 naming the schedule and what exists (the CLI's "expected one of ..."). */
    static ApiException notFound(Handle h, String name, String field) {
        List<String> names = h.createQuery(AdminSql.SCHEDULE_NAMES).mapTo(String.class).list();
        String hint = names.isEmpty() ? "there are no schedules"
                : names.size() <= NAMES_SHOWN ? "expected one of " + names
                : names.size() + " schedules exist (GET /api/schedules lists them)";
        return ApiException.notFound("schedule named", field, name, hint);
    }
}
