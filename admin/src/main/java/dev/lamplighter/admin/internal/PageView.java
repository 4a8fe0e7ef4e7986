package dev.lamplighter.admin.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What the admin page shows, read in one go through the API's own statements: schedules, recent
 * jobs, failed jobs, jobs awaiting approval, live nodes and the chart. Values become display text
 * here (timestamps in UTC, empty for null); the template escapes them. Not API.
 */
final class PageView {

    /** How many jobs each job table shows. */
    static final int RECENT_JOBS = 20;
    static final int FAILED_JOBS = 50;
    static final int AWAITING_JOBS = 50;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Jdbi jdbi;
    private final Clock clock;

    PageView(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** The template's data: the tables and charts, plus what the caller adds (actor, csrf, flash). */
    Map<String, Object> read() {
        Instant now = clock == null ? null : clock.instant();
        return jdbi.inTransaction(h -> {
            Map<String, Object> scope = new LinkedHashMap<>();
            List<Map<String, Object>> schedules = display(h.createQuery(AdminSql.SCHEDULES).map(Rows.JSON).list());
            scope.put("schedules", schedules);
            scope.put("recentJobs", jobs(h, null, RECENT_JOBS));
            scope.put("failedJobs", jobs(h, "failed", FAILED_JOBS));
            scope.put("awaitingJobs", jobs(h, "awaiting_approval", AWAITING_JOBS));
            scope.put("nodes", display(h.createQuery(AdminSql.NODES).bind("now", now).map(Rows.JSON).list()));
            scope.put("charts", HourlyChart.charts(h.createQuery(AdminSql.DECISIONS_PER_HOUR).bind("now", now)
                    .map(Rows.JSON).list()));
            // A table is drawn only when it has rows (a "None." line otherwise).
            for (String list : List.of("schedules", "recentJobs", "failedJobs", "awaitingJobs", "nodes")) {
                scope.put("has_" + list, !((List<?>) scope.get(list)).isEmpty());
            }
            return scope;
        });
    }

    private static List<Map<String, Object>> jobs(Handle h, String status, int limit) {
        List<Map<String, Object>> rows = display(h.createQuery(AdminSql.JOBS_LIST)
                .bind("status", status).bind("schedule", (String) null).bind("type", (String) null)
                .bind("before", (Long) null).bind("limit", limit)
                .map(Rows.JSON).list());
        // Which buttons a row gets: the actions whose statuses include the job's (as the API checks).
        for (Map<String, Object> row : rows) {
            for (JobApi.Action a : JobApi.Action.values()) {
                row.put("can_" + a.verb, a.from.contains(row.get("status")));
            }
        }
        return rows;
    }

    /**
     * Each row as text for the template: timestamps as {@code yyyy-MM-dd HH:mm:ss} UTC, lists
     * joined, null as empty; booleans stay booleans (the template's sections).
     */
    static List<Map<String, Object>> display(List<Map<String, Object>> rows) {
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            Map<String, Object> d = new LinkedHashMap<>();
            for (var e : row.entrySet()) {
                Object v = e.getValue();
                if (v instanceof Instant t) {
                    d.put(e.getKey(), TIME.format(t));
                } else if (v instanceof List<?> list) {
                    d.put(e.getKey(), String.join(", ", list.stream().map(String::valueOf).toList()));
                } else if (v instanceof Boolean b) {
                    d.put(e.getKey(), b);
                } else {
                    d.put(e.getKey(), v == null ? "" : String.valueOf(v));
                }
            }
            out.add(d);
        }
        return out;
    }
}
