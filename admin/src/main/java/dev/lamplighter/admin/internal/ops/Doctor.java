package dev.lamplighter.admin.internal.ops;

import dev.lamplighter.internal.SqlFiles;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The checks behind {@code lamplighter doctor}: "jobs not running even when needed", one finding
 * per line with what to do. Per schedule: enabled, {@code next_run} behind, retries and last error,
 * the conditions now ({@link Explainer}), a live node with its launcher and capabilities, a live
 * worker with a handler for its job type, jobs waiting for approval. For the cluster: a poll loop
 * that led a tick within twice the poll interval, queued jobs of a type no live node handles, the
 * cluster's pause (attention) and nodes that drain (a note). The CLI's {@code doctor} and the admin
 * API's {@code GET /api/doctor} print what {@link #examine} and {@link #report} return. Not API.
 */
public final class Doctor {

    private static final String SCHEDULES = SqlFiles.load("cli/doctor_schedules");
    private static final String HEALTH = SqlFiles.load("admin/health");
    private static final String UNHANDLED = SqlFiles.load("jobs/list_unhandled_types");
    private static final String PAUSE = SqlFiles.load("cluster/get");
    private static final String NODES = SqlFiles.load("cli/nodes");

    /** How bad a finding is: only {@link #ATTENTION} makes the exit code 1. */
    public enum Severity {
        /** Healthy. */
        OK,
        /** Worth knowing; nothing to do. */
        NOTE,
        /** Something an operator should act on. */
        ATTENTION
    }

    /**
     * One finding.
     *
     * @param schedule the schedule it is about; null for the cluster
     * @param check    which check: enabled, next_run, retries, conditions, launcher, handler,
     *                 awaiting_approval, poll_loop, unhandled_jobs, paused, drain
     * @param action   what to do; null when nothing is needed
     */
    public record Finding(Severity severity, String schedule, String check, String message, String action) {

        /** As {@code --json} and the API write it. */
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("severity", severity.name().toLowerCase(Locale.ROOT));
            m.put("schedule", schedule);
            m.put("check", check);
            m.put("message", message);
            m.put("action", action);
            return m;
        }

        /** As the CLI prints it. */
        public String line() {
            return String.format("%-9s %s%s%s", severity.name().toLowerCase(Locale.ROOT),
                    schedule == null ? "" : schedule + ": ", message, action == null ? "" : " -> " + action);
        }
    }

    private final Duration pollInterval;
    private final Duration liveWithin;
    private final Clock clock;
    private final Explainer explainer;

    private final String self;

    /**
     * @param pollInterval the nodes' poll interval, as this side assumes it
     * @param liveWithin   a node is live when its heartbeat is this recent
     * @param clock        "now"; null: the database's clock
     * @param explainer    null: the conditions are not evaluated
     * @param self         who assumes the poll interval, as a finding says it ("this CLI")
     */
    public Doctor(Duration pollInterval, Duration liveWithin, Clock clock, Explainer explainer, String self) {
        this.self = self;
        this.pollInterval = pollInterval;
        this.liveWithin = liveWithin;
        this.clock = clock;
        this.explainer = explainer;
    }

    /** Every finding for the schedule {@code name} (null: every schedule) and the cluster. */
    public List<Finding> examine(Handle db, String name) {
        List<Finding> findings = new ArrayList<>(cluster(db));
        Map<String, Object> params = new HashMap<>();
        params.put("now", now());
        params.put("liveMs", liveWithin.toMillis());
        params.put("name", name);
        List<Map<String, Object>> schedules = OpsRows.query(db, SCHEDULES, params);
        if (name != null && schedules.isEmpty()) {
            throw new ScheduleNotFoundException(name);
        }
        if (name == null && schedules.isEmpty()) {
            findings.add(new Finding(Severity.NOTE, null, "schedules", "no schedules in lamplighter.scheduled_jobs",
                    "declare them in code (Lamplighter.builder(...).schedule(...)) or INSERT them"));
        }
        List<String> jobTypes = new ArrayList<>();
        for (Map<String, Object> s : schedules) {
            findings.addAll(schedule(db, s));
            jobTypes.add((String) s.get("job_type"));
        }
        findings.addAll(unhandled(db, name == null ? null : jobTypes));
        return findings;
    }

    /** {@code {healthy, attention, findings: [...]}}: the CLI's {@code --json} and the API's body. */
    public static Map<String, Object> report(List<Finding> findings) {
        long attention = attention(findings);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("healthy", attention == 0);
        result.put("attention", attention);
        result.put("findings", findings.stream().map(Finding::json).toList());
        return result;
    }

    /** How many findings need attention. */
    public static long attention(List<Finding> findings) {
        return findings.stream().filter(f -> f.severity() == Severity.ATTENTION).count();
    }

    private List<Finding> cluster(Handle db) {
        Map<String, Object> params = new HashMap<>();
        params.put("now", now());
        params.put("tickMs", pollInterval.multipliedBy(2).toMillis());
        params.put("liveMs", liveWithin.toMillis());
        Map<String, Object> h = OpsRows.query(db, HEALTH, params).get(0);
        Instant dbNow = OpsRows.instant(h.get("now"));
        Instant lastTick = OpsRows.instant(h.get("last_led_tick_at"));
        long recent = ((Number) h.get("recent_leaders")).longValue();
        long live = ((Number) h.get("live_nodes")).longValue();
        List<Finding> findings = new ArrayList<>();
        String within = "twice the poll interval, " + human(pollInterval.multipliedBy(2));
        if (recent > 0) {
            findings.add(new Finding(Severity.OK, null, "poll_loop", "poll loop alive: node " + h.get("last_leader")
                    + " led a tick " + ago(dbNow, lastTick) + " (" + live + " live node(s))", null));
        } else {
            findings.add(new Finding(Severity.ATTENTION, null, "poll_loop", "no node led a tick within " + within
                    + (lastTick == null ? " (no tick was ever led)" : ": the last was " + ago(dbNow, lastTick) + " by node "
                    + h.get("last_leader")) + "; " + live + " live node(s)",
                    live == 0 ? "start a node: lamplighter run (with your launchers and handlers on the classpath)"
                            : "look at the nodes' logs for 'Poll loop'; LAMPLIGHTER_POLL_INTERVAL must match the nodes' "
                            + "(" + self + " assumes " + human(pollInterval) + ")"));
        }
        findings.addAll(pauseAndDrain(db, params));
        return findings;
    }

    /** The cluster's pause (attention: nothing runs) and each node that drains or is drained (a note). */
    private List<Finding> pauseAndDrain(Handle db, Map<String, Object> params) {
        List<Finding> findings = new ArrayList<>();
        Map<String, Object> pause = OpsRows.query(db, PAUSE, Map.of()).get(0);
        if (Boolean.TRUE.equals(pause.get("paused"))) {
            findings.add(new Finding(Severity.ATTENTION, null, "paused", "the cluster is paused since "
                    + OpsRows.instant(pause.get("paused_at")) + " by " + pause.get("paused_by") + " (" + pause.get("reason")
                    + "): no node checks a schedule or claims a job; queued jobs wait", "when it may run again: lamplighter resume"));
        }
        Map<String, Object> nodeParams = new HashMap<>();
        nodeParams.put("now", params.get("now"));
        nodeParams.put("liveMs", params.get("liveMs"));
        for (Map<String, Object> n : OpsRows.query(db, NODES, nodeParams)) {
            Object drain = n.get("drain");
            if (drain != null) {
                findings.add(new Finding(Severity.NOTE, null, "drain", "node " + n.get("node_id") + " is " + drain
                        + " (asked at " + OpsRows.instant(n.get("drain_requested_at")) + "): it checks no schedule and claims no job",
                        "when it should work again: lamplighter undrain " + n.get("node_id")));
            }
        }
        return findings;
    }

    private List<Finding> schedule(Handle db, Map<String, Object> s) {
        String name = (String) s.get("name");
        boolean enabled = Boolean.TRUE.equals(s.get("enabled"));
        int retries = ((Number) s.get("retry_count")).intValue();
        int maxRetries = ((Number) s.get("max_retries")).intValue();
        String lastError = (String) s.get("last_error");
        long overdueMs = ((Number) s.get("overdue_ms")).longValue();
        List<Finding> f = new ArrayList<>();
        if (!enabled) {
            boolean gaveUp = retries >= maxRetries;
            f.add(new Finding(Severity.ATTENTION, name, "enabled", gaveUp
                    ? "disabled after " + retries + " consecutive failures (max_retries " + maxRetries + "), last error: " + lastError
                    : "disabled (enabled = false)" + (lastError == null ? "" : ", last error: " + lastError),
                    gaveUp ? "fix the cause, then: lamplighter enable " + name
                            : "if it should run: lamplighter enable " + name));
        } else if (overdueMs > pollInterval.multipliedBy(2).toMillis()) {
            f.add(new Finding(Severity.ATTENTION, name, "next_run", "next_run " + OpsRows.instant(s.get("next_run")) + " is "
                    + human(Duration.ofMillis(overdueMs)) + " in the past: no node has checked it",
                    "see the poll_loop and launcher findings; lamplighter nodes lists who is up"));
        } else if (overdueMs >= 0) {
            f.add(new Finding(Severity.OK, name, "next_run", "due now (next_run " + human(Duration.ofMillis(overdueMs))
                    + " ago): the next tick checks it", null));
        } else {
            f.add(new Finding(Severity.OK, name, "next_run", "next check in " + human(Duration.ofMillis(-overdueMs))
                    + " (" + OpsRows.instant(s.get("next_run")) + ")", null));
        }
        if (enabled && retries > 0) {
            f.add(new Finding(Severity.ATTENTION, name, "retries", "failing: retry " + retries + "/" + maxRetries
                    + ", last error: " + lastError + " (disabled at " + maxRetries + ")",
                    "fix the cause; lamplighter decisions " + name + " shows each failure"));
        }
        if (explainer != null) {
            f.add(conditions(db, name, s));
        }
        @SuppressWarnings("unchecked")
        List<Object> checkedBy = (List<Object>) s.get("checked_by");
        @SuppressWarnings("unchecked")
        List<Object> lacking = (List<Object>) s.get("lacking_capabilities");
        @SuppressWarnings("unchecked")
        List<Object> handledBy = (List<Object>) s.get("handled_by");
        @SuppressWarnings("unchecked")
        List<Object> requires = (List<Object>) s.get("requires");
        if (!checkedBy.isEmpty()) {
            f.add(new Finding(Severity.OK, name, "launcher", "launcher " + s.get("launcher") + " on live node(s) " + checkedBy, null));
        } else if (!lacking.isEmpty()) {
            f.add(new Finding(Severity.ATTENTION, name, "launcher", "live node(s) " + lacking + " have launcher " + s.get("launcher")
                    + " but not every capability it requires " + requires,
                    "start one with LAMPLIGHTER_CAPABILITIES=" + String.join(",", requires.stream().map(String::valueOf).toList())));
        } else {
            f.add(new Finding(Severity.ATTENTION, name, "launcher", "no live node has launcher " + s.get("launcher")
                    + (requires.isEmpty() ? "" : " (requires " + requires + ")") + ": it stays due until one has",
                    "start a node with the jar that holds it (META-INF/services/dev.lamplighter.Launcher)"));
        }
        if (!handledBy.isEmpty()) {
            f.add(new Finding(Severity.OK, name, "handler", "handler for job type " + s.get("job_type") + " on live node(s) "
                    + handledBy, null));
        } else {
            f.add(new Finding(Severity.ATTENTION, name, "handler", "no live node has a handler for job type " + s.get("job_type")
                    + ": its jobs wait in the queue", "start a worker with a JobHandler for " + s.get("job_type")));
        }
        long awaiting = ((Number) s.get("awaiting_approval")).longValue();
        if (awaiting > 0) {
            Object id = s.get("oldest_awaiting_job_id");
            Instant since = OpsRows.instant(s.get("oldest_awaiting_since"));
            f.add(new Finding(Severity.ATTENTION, name, "awaiting_approval", awaiting + " job(s) awaiting approval, the oldest (job "
                    + id + ") since " + since + ": the schedule launches no other job while one waits",
                    "lamplighter approve " + id + " (or reject " + id + ")"));
        }
        return f;
    }

    private Finding conditions(Handle db, String name, Map<String, Object> s) {
        Map<String, Object> row = explainer.row(db, name).orElse(null);
        if (row == null) {
            return new Finding(Severity.NOTE, name, "conditions", "removed while doctor ran", null);
        }
        Map<String, Object> e = explainer.explain(db, row);
        String reason = String.valueOf(e.get("reason"));
        return switch (Explainer.outcome(e)) {
            case LAUNCH -> new Finding(Severity.OK, name, "conditions", "conditions met now: would launch (" + reason + ")", null);
            case SKIP -> new Finding(Severity.OK, name, "conditions", "conditions not met now: would skip (" + reason + ")", null);
            case FAILED -> new Finding(Severity.ATTENTION, name, "conditions", "the check fails now: " + reason,
                    "fix the cause; lamplighter explain " + name + " shows it");
            case UNKNOWN_LAUNCHER -> new Finding(Severity.NOTE, name, "conditions", "not evaluated: launcher " + s.get("launcher")
                    + " is not on " + explainer.launchers().place(), explainer.launchers().doctorAdvice());
        };
    }

    /** Queued jobs of types no live node handles; only the given job types when not null. */
    private List<Finding> unhandled(Handle db, List<String> onlyTypes) {
        Map<String, Object> params = new HashMap<>();
        params.put("now", now());
        params.put("liveMs", liveWithin.toMillis());
        List<Finding> f = new ArrayList<>();
        for (Map<String, Object> r : OpsRows.query(db, UNHANDLED, params)) {
            String type = (String) r.get("job_type");
            if (onlyTypes != null && !onlyTypes.contains(type)) {
                continue;
            }
            f.add(new Finding(Severity.ATTENTION, null, "unhandled_jobs", r.get("queued") + " queued job(s) of type '" + type
                    + "' (oldest run_at " + OpsRows.instant(r.get("oldest_run_at")) + ") wait for a handler: no live node handles '"
                    + type + "'; the live nodes handle " + r.get("handled_types"),
                    "start a worker with a JobHandler for " + type + ", or cancel them (lamplighter cancel JOB)"));
        }
        return f;
    }

    /** A duration as its two largest units: "3h 12min", "42s", "2d 3h", "250ms". */
    public static String human(Duration d) {
        long ms = Math.abs(d.toMillis());
        if (ms < 1000) {
            return ms + "ms";
        }
        long[] amounts = {ms / 86_400_000, ms / 3_600_000 % 24, ms / 60_000 % 60, ms / 1000 % 60};
        String[] units = {"d", "h", "min", "s"};
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < amounts.length && shown < 2; i++) {
            if (amounts[i] > 0 || shown > 0) {
                if (amounts[i] > 0) {
                    sb.append(sb.length() == 0 ? "" : " ").append(amounts[i]).append(units[i]);
                }
                shown++;
            }
        }
        return sb.toString();
    }

    private Instant now() {
        return clock == null ? null : clock.instant();
    }

    private static String ago(Instant now, Instant then) {
        Duration d = Duration.between(then, now);
        return d.isNegative() ? "just now" : human(d) + " ago";
    }
}
