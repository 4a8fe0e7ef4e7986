package dev.lamplighter.admin.internal;

import dev.lamplighter.internal.SqlFiles;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code POST /api/pause}, {@code POST /api/resume}, {@code POST /api/nodes/{id}/drain} and
 * {@code /undrain}: the CLI's pause, resume, drain and undrain, with the same statements
 * ({@code sql/cluster/*.sql}, {@code sql/nodes/*_drain.sql}) and an audit row in the change's
 * transaction; and the pause as {@code GET /api/nodes} and {@code /health} show it. Not API.
 */
final class ClusterApi {

    static final String GET = SqlFiles.load("cluster/get");
    private static final String LOCK = SqlFiles.load("cluster/lock");
    private static final String PAUSE = SqlFiles.load("cluster/pause");
    private static final String RESUME = SqlFiles.load("cluster/resume");
    private static final String NODE_LOCK = SqlFiles.load("nodes/lock");
    private static final String NODE_IDS = SqlFiles.load("nodes/list_ids");
    private static final String DRAIN = SqlFiles.load("nodes/request_drain");
    private static final String UNDRAIN = SqlFiles.load("nodes/cancel_drain");

    /** As LamplighterConfig's rule for node ids. */
    static final Pattern NODE_ID = Pattern.compile("^[A-Za-z0-9_.:@-]{1,128}$");
    static final String NODE_ID_ALLOWED = "a node id: 1 to 128 of letters, digits, _ . : @ - (GET /api/nodes lists them)";
    /** A node is live when its heartbeat (every 30 s) is younger than this, as /health says. */
    static final Duration LIVE_WITHIN = Duration.ofSeconds(90);

    private final Jdbi jdbi;
    private final Clock clock;

    ClusterApi(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Registers the routes (one line in the router). */
    void routes(RoutesConfig routes) {
        routes.post("/api/pause", this::pause);
        routes.post("/api/resume", this::resume);
        routes.post("/api/nodes/{id}/drain", ctx -> drain(ctx, true));
        routes.post("/api/nodes/{id}/undrain", ctx -> drain(ctx, false));
    }

    private Instant now() {
        return clock == null ? null : clock.instant();
    }

    /** The pause as the table has it: paused, reason, paused_by, paused_at (JSON-ready). */
    static Map<String, Object> state(Handle h) {
        return h.createQuery(GET).map(Rows.JSON).one();
    }

    /**
     * {@code /health}'s entry: the pause is shown, and is not a problem (a paused cluster is up and
     * does what an operator asked). Null when the database cannot be read.
     */
    static Map<String, Object> healthEntry(Jdbi jdbi) {
        try {
            Map<String, Object> state = jdbi.withHandle(h -> h.createQuery(GET).setQueryTimeout(2).map(Rows.JSON).one());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("ok", true);
            entry.putAll(state);
            entry.put("note", Boolean.TRUE.equals(state.get("paused"))
                    ? "paused by an operator: no schedule is checked and no job claimed until POST /api/resume; not a fault"
                    : "not paused");
            return entry;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The reason of a pause: the JSON body's "reason" or the query parameter, once, 1 to 500 characters. */
    private static String pauseReason(Context ctx) {
        Requests.onlyParams(ctx, Set.of("reason"));
        Optional<String> fromBody = Requests.reason(ctx);
        String fromQuery = Requests.single(ctx, "reason");
        String allowed = "text of 1 to " + Requests.MAX_REASON + " characters, as {\"reason\": \"...\"} or ?reason=";
        if (fromBody.isPresent() && fromQuery != null) {
            throw ApiException.badRequest("reason", fromQuery, "the reason once, in the body or the query, not both");
        }
        if (fromBody.isPresent()) {
            return fromBody.get();
        }
        if (fromQuery == null) {
            throw ApiException.badRequest("reason", null, allowed + " (required: say why the cluster is paused)");
        }
        if (fromQuery.isBlank()) {
            throw ApiException.badRequest("reason", fromQuery, allowed);
        }
        if (fromQuery.length() > Requests.MAX_REASON) {
            throw ApiException.badRequest("reason", fromQuery.length() + " characters", allowed);
        }
        return fromQuery;
    }

    void pause(Context ctx) {
        String reason = pauseReason(ctx);
        Audit.Caller caller = new Audit.Caller(Requests.actor(ctx), ctx.ip(), reason);
        AdminServer.json(ctx, 200, setPaused(caller, reason));
    }

    void resume(Context ctx) {
        Requests.onlyParams(ctx, Set.of());
        AdminServer.json(ctx, 200, setPaused(Requests.caller(ctx), null));
    }

    private Map<String, Object> setPaused(Audit.Caller caller, String reason) {
        Instant now = now();
        return jdbi.inTransaction(h -> {
            Map<String, Object> before = h.createQuery(LOCK).map(Rows.JSON).findOne().orElse(null);
            Map<String, Object> after = reason != null
                    ? h.createQuery(PAUSE).bind("reason", reason).bind("pausedBy", caller.actor()).bind("now", now)
                            .map(Rows.JSON).one()
                    : h.createQuery(RESUME).map(Rows.JSON).one();
            String action = reason != null ? "cluster.pause" : "cluster.resume";
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("before", before);
            long auditId = Audit.write(h, now, caller, action, "cluster", detail);
            return result(action, "cluster", caller, auditId, before, "cluster", after);
        });
    }

    void drain(Context ctx, boolean drain) {
        Requests.onlyParams(ctx, Set.of());
        String nodeId = ctx.pathParam("id");
        if (!NODE_ID.matcher(nodeId).matches()) {
            throw ApiException.badRequest("id", nodeId, NODE_ID_ALLOWED);
        }
        Audit.Caller caller = Requests.caller(ctx);
        Instant now = now();
        AdminServer.json(ctx, 200, jdbi.inTransaction(h -> {
            Map<String, Object> before = h.createQuery(NODE_LOCK).bind("nodeId", nodeId).map(Rows.JSON).findOne()
                    .orElseThrow(() -> {
                        List<String> live = h.createQuery(NODE_IDS).bind("now", now).bind("liveMs", LIVE_WITHIN.toMillis())
                                .mapTo(String.class).list();
                        return ApiException.notFound("node with id", "id", nodeId,
                                "the live nodes are " + (live.isEmpty() ? "none" : live.toString()));
                    });
            Map<String, Object> after = drain
                    ? h.createQuery(DRAIN).bind("nodeId", nodeId).bind("now", now).bind("requestedBy", caller.actor())
                            .map(Rows.JSON).one()
                    : h.createQuery(UNDRAIN).bind("nodeId", nodeId).map(Rows.JSON).one();
            String action = drain ? "node.drain" : "node.undrain";
            long auditId = Audit.write(h, now, caller, action, "node:" + nodeId, Map.of("before", before));
            return result(action, "node:" + nodeId, caller, auditId, before, "node", after);
        }));
    }

    private static Map<String, Object> result(String action, String target, Audit.Caller caller, long auditId,
                                              Map<String, Object> before, String key, Map<String, Object> after) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("action", action);
        b.put("target", target);
        b.put("actor", caller.actor());
        b.put("audit_id", auditId);
        b.put("before", before);
        b.put(key, after);
        return b;
    }
}
