package dev.lamplighter.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lamplighter.admin.internal.ops.OpsRows;
import dev.lamplighter.cli.db.OperatorConnection;
import dev.lamplighter.internal.SqlFiles;
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
 * {@code pause}, {@code resume} (cluster-wide) and {@code drain}, {@code undrain} (one node): the
 * same statements as the admin API ({@code sql/cluster/*.sql}, {@code sql/nodes/*_drain.sql}) and
 * the cookbook, each with an audit row in {@code lamplighter.admin_audit} (actor
 * {@code cli:<OS user>}) written in the change's transaction. The row changed is locked first, so
 * the "before" in the audit row is what the change replaced.
 */
final class ClusterCommands {

    static final String GET = SqlFiles.load("cluster/get");
    private static final String LOCK = SqlFiles.load("cluster/lock");
    private static final String PAUSE = SqlFiles.load("cluster/pause");
    private static final String RESUME = SqlFiles.load("cluster/resume");
    private static final String NODE_LOCK = SqlFiles.load("nodes/lock");
    private static final String NODE_IDS = SqlFiles.load("nodes/list_ids");
    private static final String DRAIN = SqlFiles.load("nodes/request_drain");
    private static final String UNDRAIN = SqlFiles.load("nodes/cancel_drain");
    private static final String AUDIT = SqlFiles.load("admin/audit_insert");

    /** Longest pause reason, as the table's CHECK and the admin API allow. */
    static final int MAX_REASON = 500;

    private ClusterCommands() {
    }

    /** The pause as the table has it: paused, reason, paused_by, paused_at. */
    static Map<String, Object> pauseState(OperatorConnection db) {
        return db.query(GET, Map.of()).get(0);
    }

    /** One line for status and nodes when the cluster is paused; null when it is not. */
    static String pauseBanner(Map<String, Object> state) {
        if (!Boolean.TRUE.equals(state.get("paused"))) {
            return null;
        }
        return "PAUSED since " + OpsRows.instant(state.get("paused_at")) + " by " + state.get("paused_by") + ": "
                + state.get("reason") + " (no schedule is checked, no job claimed; lamplighter resume)";
    }

    static void checkReason(String reason) {
        if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
            String shown = reason == null ? "" : reason.length() > 40 ? reason.substring(0, 40) + "..." : reason;
            throw new IllegalArgumentException("--reason = '" + shown + "' is not allowed: expected 1 to " + MAX_REASON
                    + " characters, not only spaces (it has " + (reason == null ? 0 : reason.length()) + ")");
        }
    }

    static void checkNodeId(String nodeId) {
        if (!nodeId.matches("[A-Za-z0-9_.:@-]{1,128}")) {
            throw new IllegalArgumentException("NODE = '" + nodeId + "' is not allowed: expected a node id, 1 to 128 of "
                    + "A-Z a-z 0-9 _ . : @ - (lamplighter nodes lists them)");
        }
    }

    private static Instant now(Main main) {
        return main.clock == null ? null : main.clock.instant();
    }

    /** Writes the audit row of a change in the change's transaction; returns its id. */
    private static Object audit(OperatorConnection db, Main main, String actor, String action, String target,
                                Map<String, Object> detail) {
        Map<String, Object> audit = new HashMap<>();
        audit.put("now", now(main));
        audit.put("actor", actor);
        audit.put("action", action);
        audit.put("target", target);
        try {
            audit.put("detail", Json.MAPPER.writeValueAsString(detail));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the audit detail as JSON: " + e.getOriginalMessage(), e);
        }
        audit.put("remote", null);
        try {
            return db.query(AUDIT, audit).get(0).get("id");
        } catch (dev.lamplighter.LamplighterException e) {
            if (String.valueOf(e.getMessage()).contains("permission denied for table admin_audit")) {
                throw new Main.CliException("cannot write the audit row of " + action + ": permission denied for table "
                        + "admin_audit, so nothing changed (grant it: GRANT INSERT ON lamplighter.admin_audit TO "
                        + "lamplighter_operator)", Main.EXIT_ATTENTION);
            }
            throw e;
        }
    }

    private static Map<String, Object> result(String action, String target, String actor, Object auditId,
                                              Map<String, Object> before, String key, Map<String, Object> after) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("action", action);
        r.put("target", target);
        r.put("actor", actor);
        r.put("audit_id", auditId);
        r.put("before", before == null ? null : Json.row(before));
        r.put(key, Json.row(after));
        return r;
    }

    /** Pauses (reason given) or resumes (reason null) the cluster, with its audit row, in one transaction. */
    static Map<String, Object> setPaused(OperatorConnection db, Main main, String actor, String reason) {
        return db.inTransaction(true, h -> {
            List<Map<String, Object>> locked = db.query(LOCK, Map.of());
            Map<String, Object> before = locked.isEmpty() ? null : locked.get(0);
            Map<String, Object> after;
            String action;
            if (reason != null) {
                Map<String, Object> params = new HashMap<>();
                params.put("reason", reason);
                params.put("pausedBy", actor);
                params.put("now", now(main));
                after = db.query(PAUSE, params).get(0);
                action = "cluster.pause";
            } else {
                after = db.query(RESUME, Map.of()).get(0);
                action = "cluster.resume";
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("before", before == null ? null : Json.row(before));
            if (reason != null) {
                detail.put("reason", reason);
            }
            Object auditId = audit(db, main, actor, action, "cluster", detail);
            return result(action, "cluster", actor, auditId, before, "cluster", after);
        });
    }

    /** Drains or undrains a node, with its audit row; exit 2 naming the live nodes when there is no such node. */
    static Map<String, Object> setDrained(OperatorConnection db, Main main, String actor, String nodeId, boolean drain) {
        return db.inTransaction(true, h -> {
            List<Map<String, Object>> locked = db.query(NODE_LOCK, Map.of("nodeId", nodeId));
            if (locked.isEmpty()) {
                Map<String, Object> params = new HashMap<>();
                params.put("now", now(main));
                params.put("liveMs", NodesCommand.LIVE_WITHIN.toMillis());
                List<Object> live = db.query(NODE_IDS, params).stream().map(r -> r.get("node_id")).toList();
                throw new Main.CliException("NODE = '" + nodeId + "': no such node in lamplighter.nodes; the live nodes are "
                        + (live.isEmpty() ? "none" : live.toString()) + " (lamplighter nodes)", Main.EXIT_USAGE);
            }
            Map<String, Object> before = locked.get(0);
            Map<String, Object> params = new HashMap<>();
            params.put("nodeId", nodeId);
            Map<String, Object> after;
            if (drain) {
                params.put("now", now(main));
                params.put("requestedBy", actor);
                after = db.query(DRAIN, params).get(0);
            } else {
                after = db.query(UNDRAIN, params).get(0);
            }
            String action = drain ? "node.drain" : "node.undrain";
            Object auditId = audit(db, main, actor, action, "node:" + nodeId, Map.of("before", Json.row(before)));
            return result(action, "node:" + nodeId, actor, auditId, before, "node", after);
        });
    }

    /** The options every command here shares. */
    abstract static class ClusterAction implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Option(names = "--json", description = "Print the change (action, actor, audit id, before and after) as a JSON object.")
        boolean json;

        abstract Map<String, Object> change(OperatorConnection db, String actor);

        abstract String describe(Map<String, Object> result);

        @Override
        public Integer call() {
            String actor = JobCommands.actor(main.env);
            Map<String, Object> result;
            try (OperatorConnection db = OperatorConnection.open(main.settings())) {
                result = change(db, actor);
            }
            if (json) {
                Json.printValue(main.out, result);
            } else {
                main.out.println(describe(result) + " (audit " + result.get("audit_id") + ")");
            }
            return Main.EXIT_OK;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> part(Map<String, Object> result, String key) {
        return (Map<String, Object>) result.get(key);
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = {"Pauses the cluster: no node checks a schedule or claims a job until resume; running jobs",
                    "finish; enqueue still works. Stored in lamplighter.cluster_state (survives restarts)."})
    static final class Pause extends ClusterAction {
        @Option(names = "--reason", paramLabel = "TEXT", required = true,
                description = "Why (1 to 500 characters), shown by status, nodes and doctor.")
        String reason;

        @Override
        public Integer call() {
            checkReason(reason);
            return super.call();
        }

        @Override
        Map<String, Object> change(OperatorConnection db, String actor) {
            return setPaused(db, main, actor, reason);
        }

        @Override
        String describe(Map<String, Object> r) {
            Map<String, Object> c = part(r, "cluster");
            return "Cluster paused since " + c.get("paused_at") + " by " + c.get("paused_by") + ": " + c.get("reason")
                    + ". No node checks a schedule or claims a job until lamplighter resume; running jobs finish.";
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Resumes the cluster: every node checks schedules and claims jobs again at once.")
    static final class Resume extends ClusterAction {
        @Override
        Map<String, Object> change(OperatorConnection db, String actor) {
            return setPaused(db, main, actor, null);
        }

        @Override
        String describe(Map<String, Object> r) {
            Map<String, Object> before = part(r, "before");
            if (before == null || !Boolean.TRUE.equals(before.get("paused"))) {
                return "Cluster was not paused; nothing changed.";
            }
            return "Cluster resumed (paused since " + before.get("paused_at") + " by " + before.get("paused_by") + ": "
                    + before.get("reason") + "). Nodes check schedules and claim jobs again.";
        }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true,
            description = {"Drains one node: it stops checking schedules and claiming jobs, gives back its prefetched",
                    "jobs, finishes the running ones, then sets drained_at (lamplighter nodes shows it).",
                    "Unknown NODE: exit 2. lamplighter undrain NODE brings it back."})
    static final class Drain extends ClusterAction {
        @Parameters(paramLabel = "NODE", description = "The node's id (lamplighter nodes lists them).")
        String node;

        @Override
        public Integer call() {
            checkNodeId(node);
            return super.call();
        }

        @Override
        Map<String, Object> change(OperatorConnection db, String actor) {
            return setDrained(db, main, actor, node, true);
        }

        @Override
        String describe(Map<String, Object> r) {
            Map<String, Object> n = part(r, "node");
            return "Node " + node + " drains (asked at " + n.get("drain_requested_at") + " by " + n.get("drain_requested_by")
                    + "): it checks no schedule and claims no job; " + (n.get("drained_at") != null
                    ? "it is drained since " + n.get("drained_at") + "."
                    : "its running jobs finish, then lamplighter nodes shows drained_at.");
        }
    }

    @Command(name = "undrain", mixinStandardHelpOptions = true,
            description = "Undrains a node: it checks schedules and claims jobs again. Unknown NODE: exit 2.")
    static final class Undrain extends ClusterAction {
        @Parameters(paramLabel = "NODE", description = "The node's id (lamplighter nodes lists them).")
        String node;

        @Override
        public Integer call() {
            checkNodeId(node);
            return super.call();
        }

        @Override
        Map<String, Object> change(OperatorConnection db, String actor) {
            return setDrained(db, main, actor, node, false);
        }

        @Override
        String describe(Map<String, Object> r) {
            Map<String, Object> before = part(r, "before");
            return before.get("drain_requested_at") == null ? "Node " + node + " was not draining; nothing changed."
                    : "Node " + node + " is undrained: it checks schedules and claims jobs again.";
        }
    }
}
