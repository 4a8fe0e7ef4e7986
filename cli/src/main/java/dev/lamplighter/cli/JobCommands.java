package dev.lamplighter.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lamplighter.cli.db.OperatorConnection;
import dev.lamplighter.internal.SqlFiles;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code approve}, {@code reject}, {@code retry}, {@code cancel}: the admin API's job actions,
 * with the same statements ({@code sql/admin/job_*.sql}) and status rules, and an audit row in
 * {@code lamplighter.admin_audit} with actor {@code cli:<OS user>}, written in the change's
 * transaction. The job's row is locked first ({@code sql/admin/job_lock.sql}), so a worker's
 * claim never takes a job being changed and the status reported is the one the change saw.
 */
final class JobCommands {

    private static final String LOCK = SqlFiles.load("admin/job_lock");
    private static final String GET = SqlFiles.load("admin/job_get");
    private static final String AUDIT = SqlFiles.load("admin/audit_insert");

    /** What one action does: its statement and the statuses it applies to. */
    enum Action {
        APPROVE("approve", "admin/job_approve", List.of("awaiting_approval")),
        REJECT("reject", "admin/job_reject", List.of("awaiting_approval")),
        RETRY("retry", "admin/job_retry", List.of("failed", "cancelled")),
        CANCEL("cancel", "admin/job_cancel", List.of("queued", "awaiting_approval"));

        final String verb;
        final String sql;
        final List<String> from;

        Action(String verb, String file, List<String> from) {
            this.verb = verb;
            this.sql = SqlFiles.load(file);
            this.from = from;
        }

        String auditAction() {
            return "job." + verb;
        }
    }

    private JobCommands() {
    }

    /** The OS user the CLI runs as, as the audit row's actor: {@code cli:<user>}. */
    static String actor(Map<String, String> env) {
        String user = System.getProperty("user.name");
        if (user == null || user.isBlank()) {
            user = env.getOrDefault("USER", "unknown");
        }
        return "cli:" + user;
    }

    /** A job id as typed; anything but a whole number from 1 up is a usage error (exit 2). */
    static long parseId(String text) {
        try {
            long id = Long.parseLong(text.strip());
            if (id >= 1) {
                return id;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("JOB = '" + text + "' is not allowed: expected a job id: a whole number from 1 to "
                + Long.MAX_VALUE);
    }

    static void checkReason(String reason) {
        if (reason != null && (reason.isBlank() || reason.length() > 500)) {
            throw new IllegalArgumentException("--reason = '" + (reason.length() > 40 ? reason.substring(0, 40) + "..." : reason) + "' is not allowed: expected 1 to 500 characters"
                    + " (it has " + reason.length() + ")");
        }
    }

    /** Locks the job, checks its status, changes it and writes the audit row, in one transaction. */
    static Map<String, Object> apply(OperatorConnection db, Action action, long id, String actor, String reason, Clock clock) {
        Instant now = clock == null ? null : clock.instant();
        return db.inTransaction(true, h -> {
            List<Map<String, Object>> locked = db.query(LOCK, Map.of("job_id", id));
            if (locked.isEmpty()) {
                throw new Main.CliException("no job with id " + id + ": expected the id of an existing job "
                        + "(lamplighter history lists recent ones)", Main.EXIT_USAGE);
            }
            Map<String, Object> before = locked.get(0);
            String status = String.valueOf(before.get("status"));
            if (!action.from.contains(status)) {
                throw new Main.CliException("job " + id + " is " + status + ": " + action.verb + " applies only to a job that is "
                        + String.join(" or ", action.from) + whatApplies(id, status), Main.EXIT_ATTENTION);
            }
            Map<String, Object> params = new HashMap<>();
            params.put("job_id", id);
            params.put("now", now);
            params.put("actor", actor);
            db.update(action.sql, params);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("before", Json.row(before));
            if (reason != null) {
                detail.put("reason", reason);
            }
            Map<String, Object> audit = new HashMap<>();
            audit.put("now", now);
            audit.put("actor", actor);
            audit.put("action", action.auditAction());
            audit.put("target", "job:" + id);
            audit.put("detail", toJson(detail));
            audit.put("remote", null);
            Object auditId;
            try {
                auditId = db.query(AUDIT, audit).get(0).get("id");
            } catch (dev.lamplighter.LamplighterException e) {
                if (String.valueOf(e.getMessage()).contains("permission denied for table admin_audit")) {
                    throw new Main.CliException("cannot write the audit row of " + action.auditAction() + " on job " + id
                            + ": permission denied for table admin_audit, so nothing changed (grant it: GRANT INSERT ON "
                            + "lamplighter.admin_audit TO lamplighter_operator)", Main.EXIT_ATTENTION);
                }
                throw e;
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("action", action.auditAction());
            result.put("target", "job:" + id);
            result.put("actor", actor);
            result.put("audit_id", auditId);
            result.put("before", status);
            result.put("job", Json.row(db.query(GET, Map.of("job_id", id)).get(0)));
            return result;
        });
    }

    /** What an operator can do with a job in this status, for the refusal's message. */
    private static String whatApplies(long id, String status) {
        return switch (status) {
            case "awaiting_approval" -> " (this one: lamplighter approve " + id + ", reject " + id + " or cancel " + id + ")";
            case "queued" -> " (this one: lamplighter cancel " + id + ")";
            case "failed", "cancelled" -> " (this one: lamplighter retry " + id + ")";
            case "running" -> " (a running job is not interrupted; it ends, fails or times out on its worker)";
            default -> " (nothing applies to a " + status + " job)";
        };
    }

    private static String toJson(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the audit detail as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The options every job action shares. */
    abstract static class JobAction implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Parameters(paramLabel = "JOB", description = "The job's id (lamplighter history lists them).")
        String job;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, kept in the audit row (1 to 500 characters).")
        String reason;

        @Option(names = "--json", description = "Print the change and the job as it is now, as a JSON object.")
        boolean json;

        abstract Action action();

        @Override
        public Integer call() {
            long id = parseId(job);
            checkReason(reason);
            String actor = actor(main.env);
            Map<String, Object> result;
            try (OperatorConnection db = OperatorConnection.open(main.settings())) {
                result = apply(db, action(), id, actor, reason, main.clock);
            }
            if (json) {
                Json.printValue(main.out, result);
            } else {
                @SuppressWarnings("unchecked")
                Map<String, Object> after = (Map<String, Object>) result.get("job");
                main.out.println("Job " + id + " (" + after.get("job_type") + "): " + result.get("before") + " -> "
                        + after.get("status") + ", by " + actor + " (audit " + result.get("audit_id") + ").");
            }
            return Main.EXIT_OK;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approves a job that awaits approval (hitl): awaiting_approval -> queued.")
    static final class Approve extends JobAction {
        @Override
        Action action() {
            return Action.APPROVE;
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true,
            description = "Rejects a job that awaits approval (hitl): awaiting_approval -> rejected; it never runs.")
    static final class Reject extends JobAction {
        @Override
        Action action() {
            return Action.REJECT;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Runs a failed or cancelled job again: -> queued, attempts back to 0.")
    static final class Retry extends JobAction {
        @Override
        Action action() {
            return Action.RETRY;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancels a job that has not started (queued or awaiting_approval); a running job is not interrupted.")
    static final class Cancel extends JobAction {
        @Override
        Action action() {
            return Action.CANCEL;
        }
    }
}
