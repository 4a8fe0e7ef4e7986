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
 * here (timestamps in UTC, empty for null); the template escapes them. Each job list pages as
 * {@code GET /api/jobs} does, by the smallest job id of the page before ({@link Paging}): plain
 * links, {@code /?failed_before=123#failed}, that work without JavaScript. Not API.
 */
final class PageView {

    /** How many jobs each job table shows. */
    static final int RECENT_JOBS = 20;
    static final int FAILED_JOBS = 50;
    static final int AWAITING_JOBS = 50;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** The job lists, each with its page parameter ({@code <list>_before}) and its heading's anchor. */
    enum JobList {
        RECENT("recent", "recentJobs", null, RECENT_JOBS),
        FAILED("failed", "failedJobs", "failed", FAILED_JOBS),
        AWAITING("awaiting", "awaitingJobs", "awaiting_approval", AWAITING_JOBS);

        final String anchor;
        final String scope;
        final String status;
        final int limit;

        JobList(String anchor, String scope, String status, int limit) {
            this.anchor = anchor;
            this.scope = scope;
            this.status = status;
            this.limit = limit;
        }

        /** The page's query parameter of this list. */
        String param() {
            return anchor + "_before";
        }
    }

    /** Where each job list starts: below this job id, or from the newest (null). */
    record Paging(Map<JobList, Long> before) {
        static final Paging NEWEST = new Paging(Map.of());

        Long of(JobList list) {
            return before.get(list);
        }

        /** The page's link with {@code list} starting below {@code id} (null: from the newest), the others as they are. */
        String href(JobList list, Long id) {
            StringBuilder q = new StringBuilder();
            for (JobList l : JobList.values()) {
                Long v = l == list ? id : before.get(l);
                if (v != null) {
                    q.append(q.length() == 0 ? "?" : "&").append(l.param()).append('=').append(v);
                }
            }
            return "/" + q + "#" + list.anchor;
        }
    }

    private final Jdbi jdbi;
    private final Clock clock;

    PageView(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** The template's data with every job list from its newest job. */
    Map<String, Object> read() {
        return read(Paging.NEWEST);
    }

    /**
     * The template's data: the tables and charts, plus what the caller adds (actor, csrf, flash).
     * Each job list has {@code <list>_older} (the link to its next page, when there is one) and
     * {@code <list>_newest} (back to its first page, when it is not on it).
     */
    Map<String, Object> read(Paging paging) {
        Instant now = clock == null ? null : clock.instant();
        return jdbi.inTransaction(h -> {
            Map<String, Object> scope = new LinkedHashMap<>();
            List<Map<String, Object>> schedules = display(h.createQuery(AdminSql.SCHEDULES).map(Rows.JSON).list());
            scope.put("schedules", schedules);
            for (JobList list : JobList.values()) {
                Long before = paging.of(list);
                List<Map<String, Object>> rows = jobs(h, list.status, list.limit + 1, before);
                boolean more = rows.size() > list.limit;
                if (more) {
                    rows = rows.subList(0, list.limit);
                }
                scope.put(list.scope, rows);
                scope.put(list.anchor + "_older", more
                        ? paging.href(list, Long.valueOf(String.valueOf(rows.get(rows.size() - 1).get("job_id")))) : null);
                scope.put(list.anchor + "_newest", before == null ? null : paging.href(list, null));
                scope.put(list.anchor + "_before", before);
            }
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

    private static List<Map<String, Object>> jobs(Handle h, String status, int limit, Long before) {
        List<Map<String, Object>> rows = display(h.createQuery(AdminSql.JOBS_LIST)
                .bind("status", status).bind("schedule", (String) null).bind("type", (String) null)
                .bind("before", before).bind("limit", limit)
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
