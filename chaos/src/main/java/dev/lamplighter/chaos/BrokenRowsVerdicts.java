package dev.lamplighter.chaos;

import dev.lamplighter.chaos.BrokenRowsCase.Expected;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads what each broken row became after the run and judges it: the outcome seen, and every way
 * it differs from what Lamplighter promises (the expected outcome, a message that names the
 * column and the value, backing off to disabled, one log line per check, no stack trace).
 */
final class BrokenRowsVerdicts {

    /** How many failed checks disable a schedule (the default max_retries). */
    static final int MAX_RETRIES = 5;
    /** How many attempts a job gets (the default max_attempts). */
    static final int MAX_ATTEMPTS = 3;

    private final Jdbi jdbi;
    private final BrokenRowsRun run;
    private final List<BrokenRowsLog.Line> lines;

    BrokenRowsVerdicts(Jdbi jdbi, BrokenRowsRun run, List<BrokenRowsLog.Line> lines) {
        this.jdbi = jdbi;
        this.run = run;
        this.lines = lines;
    }

    /** A digest of each row's columns that only the row's own check may not change. */
    static Map<String, String> snapshot(Jdbi jdbi) {
        Map<String, String> rows = new HashMap<>();
        jdbi.useHandle(h -> {
            h.createQuery("""
                    SELECT 'schedule ' || name AS k, md5(CAST(ROW(launcher, job_type, schedule_cron, schedule_interval,
                           time_zone, max_retries, params, automation, priority, max_attempts, declared, created_at,
                           misfire_grace, requires) AS text)) AS v
                    FROM lamplighter.scheduled_jobs
                    """).map((rs, ctx) -> rows.put(rs.getString("k"), rs.getString("v"))).list();
            h.createQuery("""
                    SELECT 'job ' || job_id AS k, md5(CAST(ROW(job_type, payload, schedule_name, is_system_job, job_source,
                           priority, max_attempts, created_at, dedup_key, timeout_ms, consumes) AS text)) AS v
                    FROM lamplighter.jobs
                    """).map((rs, ctx) -> rows.put(rs.getString("k"), rs.getString("v"))).list();
        });
        return rows;
    }

    List<String> runProblems(Map<String, String> before) {
        List<String> problems = new ArrayList<>();
        Map<String, String> after = snapshot(jdbi);
        before.forEach((k, v) -> {
            if (!v.equals(after.get(k))) {
                problems.add(k + ": a stored column changed (or the row vanished) during the run");
            }
        });
        Instant last = run.start.plus(Duration.ofMinutes(run.ticks() - 1));
        new TreeMap<>(BrokenRowsRun.HEALTHY).forEach((name, every) -> {
            int expected = (run.ticks() - 1) / every + 1;
            Map<String, Object> seen = jdbi.withHandle(h -> h.createQuery("""
                    SELECT count(*) FILTER (WHERE outcome <> 'failed') AS clean,
                           count(*) FILTER (WHERE outcome = 'failed') AS failed,
                           count(DISTINCT slot) AS slots
                    FROM lamplighter.decision_log
                    WHERE schedule_name = :name AND slot BETWEEN :from AND :to
                    """).bind("name", name).bind("from", run.start).bind("to", last).mapToMap().one());
            long clean = ((Number) seen.get("clean")).longValue();
            long slots = ((Number) seen.get("slots")).longValue();
            if (clean != expected || slots != expected || ((Number) seen.get("failed")).longValue() != 0) {
                problems.add("healthy schedule " + name + " lost its cadence: " + clean + " clean checks of " + slots
                        + " slots, expected " + expected + " (" + seen.get("failed") + " failed)");
            }
        });
        lines.stream().filter(l -> l.text().contains("failed as a whole")).limit(5)
                .forEach(l -> problems.add("one row failed the chunk of the others in tick " + l.tick() + ": "
                        + shorten(l.text())));
        lines.stream().filter(BrokenRowsLog.Line::stackTrace).limit(5)
                .forEach(l -> problems.add("a stack trace was logged in tick " + l.tick() + ": " + shorten(l.text())));
        Map<String, Object> bulk = jdbi.withHandle(h -> h.createQuery("""
                SELECT count(*) FILTER (WHERE name LIKE 'bulk_never_%' AND NOT enabled AND retry_count = :max) AS never_disabled,
                       count(*) FILTER (WHERE name LIKE 'bulk_never_%') AS never,
                       count(*) FILTER (WHERE name LIKE 'bulk_away_%' AND enabled AND last_error LIKE 'launcher = %') AS away_reported,
                       count(*) FILTER (WHERE name LIKE 'bulk_away_%') AS away
                FROM lamplighter.scheduled_jobs
                """).bind("max", MAX_RETRIES).mapToMap().one());
        if (!bulk.get("never_disabled").equals(bulk.get("never"))) {
            problems.add("bulk rows with a cron that never fires: " + bulk.get("never_disabled") + " of " + bulk.get("never")
                    + " disabled after " + MAX_RETRIES + " failures");
        }
        if (!bulk.get("away_reported").equals(bulk.get("away"))) {
            problems.add("bulk rows whose launcher no node has: " + bulk.get("away_reported") + " of " + bulk.get("away")
                    + " reported in last_error and left enabled");
        }
        long awayLines = lines.stream().filter(l -> l.text().contains("'bulk_away_")).count();
        if (awayLines > ((Number) bulk.get("away")).longValue()) {
            problems.add("bulk rows whose launcher no node has: " + awayLines + " log lines for "
                    + bulk.get("away") + " rows (expected one each, once)");
        }
        return problems;
    }

    BrokenRowsResult of(BrokenRowsCase c) {
        String refusal = run.rejected.get(c.id());
        if (refusal != null) {
            List<String> problems = new ArrayList<>();
            if (c.expected() != Expected.REJECTED) {
                problems.add("expected " + c.expected().text + ", but the database refused it: " + refusal);
            }
            return new BrokenRowsResult(c, Expected.REJECTED, refusal, problems);
        }
        return c.table().equals(BrokenRowsCatalogue.SCHEDULES) ? schedule(c) : job(c);
    }

    private BrokenRowsResult schedule(BrokenRowsCase c) {
        Map<String, Object> row = jdbi.withHandle(h -> h.createQuery("""
                SELECT s.enabled, s.retry_count, left(s.last_error, 2000) AS last_error,
                       (SELECT count(*) FROM lamplighter.decision_log d WHERE d.schedule_name = s.name) AS checks,
                       (SELECT count(*) FROM lamplighter.decision_log d
                        WHERE d.schedule_name = s.name AND d.outcome = 'failed') AS failures
                FROM lamplighter.scheduled_jobs s WHERE s.name = :name
                """).bind("name", c.id()).mapToMap().one());
        boolean enabled = (Boolean) row.get("enabled");
        long checks = ((Number) row.get("checks")).longValue();
        long failures = ((Number) row.get("failures")).longValue();
        String error = (String) row.get("last_error");
        List<String> problems = new ArrayList<>();
        Expected outcome;
        if (failures > 0) {
            outcome = Expected.REPORTED;
            if (enabled || failures != MAX_RETRIES) {
                problems.add("failed " + failures + " time(s), " + (enabled ? "still enabled" : "disabled")
                        + ": expected " + MAX_RETRIES + " failures, backing off, then disabled");
            }
            List<Long> gaps = backoffMinutes(c.id());
            for (int i = 1; i < gaps.size(); i++) {
                if (gaps.get(i) <= gaps.get(i - 1)) {
                    problems.add("did not back off: minutes between failed checks " + gaps);
                    break;
                }
            }
        } else if (error != null && enabled) {
            outcome = Expected.WAITING;
        } else {
            outcome = Expected.ACCEPTED;
            error = checks + " check(s), " + (enabled ? "enabled" : "disabled") + (error == null ? "" : ": " + error);
        }
        if (outcome != c.expected()) {
            problems.add(0, "expected " + c.expected().text + ", got " + outcome.text);
        } else if (outcome != Expected.ACCEPTED) {
            namesFieldAndValue(c, error, problems, outcome == Expected.WAITING ? "a node that has" : null);
        }
        logLines(c, "'" + c.id() + "'", 1, problems);
        return new BrokenRowsResult(c, outcome, error, problems);
    }

    /** Minutes between one schedule's failed checks, in order. */
    private List<Long> backoffMinutes(String name) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT CAST(extract(epoch FROM decided_at - lag(decided_at) OVER (ORDER BY decided_at)) / 60 AS bigint)
                FROM lamplighter.decision_log
                WHERE schedule_name = :name AND outcome = 'failed'
                ORDER BY decided_at
                """).bind("name", name).mapTo(Long.class).list()).stream().filter(java.util.Objects::nonNull).toList();
    }

    private BrokenRowsResult job(BrokenRowsCase c) {
        long id = run.jobIds.get(c.id());
        Map<String, Object> row = jdbi.withHandle(h -> h.createQuery("""
                SELECT j.status, j.attempts, j.max_attempts, left(j.last_error, 2000) AS last_error, j.run_at > :now AS later,
                       j.job_type = :type AS handled
                FROM lamplighter.jobs j WHERE j.job_id = :id
                """).bind("id", id).bind("type", BrokenRowsRun.JOB_TYPE).bind("now", run.start.plus(Duration.ofMinutes(run.ticks()))).mapToMap().one());
        String status = (String) row.get("status");
        String error = (String) row.get("last_error");
        List<String> problems = new ArrayList<>();
        Expected outcome;
        String message;
        if ("completed".equals(status)) {
            outcome = Expected.ACCEPTED;
            message = "completed after " + row.get("attempts") + " attempt(s)";
        } else if ("failed".equals(status) || error != null) {
            outcome = Expected.REPORTED;
            message = error;
            if (!"failed".equals(status) || ((Number) row.get("attempts")).intValue() != MAX_ATTEMPTS) {
                problems.add(status + " after " + row.get("attempts") + " attempt(s): expected failed after "
                        + MAX_ATTEMPTS + " attempts with backoff");
            }
        } else if ("queued".equals(status)) {
            outcome = Expected.WAITING;
            message = Boolean.TRUE.equals(row.get("later")) ? "queued, not due (run_at in the future)"
                    : Boolean.FALSE.equals(row.get("handled"))
                    ? "queued; no node has a handler for its job_type (queue_status.handled is false)" : "queued, due, not claimed";
        } else {
            outcome = null;
            message = status;
            problems.add("status " + status + " after the run");
        }
        if (outcome != null && outcome != c.expected()) {
            problems.add(0, "expected " + c.expected().text + ", got " + outcome.text + " (" + message + ")");
        } else if (outcome == Expected.REPORTED) {
            namesFieldAndValue(c, message, problems, null);
        }
        logLines(c, "Job " + id + " ", MAX_ATTEMPTS + 1, problems);
        return new BrokenRowsResult(c, outcome, message, problems);
    }

    /** The message names the column, the value and what is allowed ({@code allowed}, when given, says it otherwise). */
    private static void namesFieldAndValue(BrokenRowsCase c, String message, List<String> problems, String allowed) {
        String value = c.mentions() != null ? c.mentions() : c.shown();
        if (message == null || !message.contains(c.column()) || !message.contains(value)
                || !(message.contains("expected") || message.contains("allowed")
                     || (allowed != null && message.contains(allowed)))) {
            problems.add("the message does not name the column (" + c.column() + "), the value (" + value
                    + ") and what is allowed: " + shorten(String.valueOf(message)));
        }
    }

    /** At most {@code perTick} lines per tick mention the row, and none carries a stack trace. */
    private void logLines(BrokenRowsCase c, String mention, int perTick, List<String> problems) {
        Map<Integer, Integer> perTickCount = new TreeMap<>();
        for (BrokenRowsLog.Line l : lines) {
            if (l.text().contains(mention)) {
                perTickCount.merge(l.tick(), 1, Integer::sum);
                if (l.stackTrace()) {
                    problems.add("a stack trace was logged in tick " + l.tick() + ": " + shorten(l.text()));
                }
            }
        }
        perTickCount.forEach((tick, n) -> {
            if (n > perTick) {
                problems.add(n + " log lines in tick " + tick + " (expected at most " + perTick + ")");
            }
        });
    }

    static String shorten(String text) {
        String one = text.replace("\n", "\\n");
        return one.length() > 300 ? one.substring(0, 300) + "..." : one;
    }
}
