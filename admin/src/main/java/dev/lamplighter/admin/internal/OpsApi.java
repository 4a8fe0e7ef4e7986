package dev.lamplighter.admin.internal;

import dev.lamplighter.admin.internal.ops.Doctor;
import dev.lamplighter.admin.internal.ops.Drift;
import dev.lamplighter.admin.internal.ops.Explainer;
import dev.lamplighter.admin.internal.ops.Launchers;
import dev.lamplighter.admin.internal.ops.ScheduleNotFoundException;
import dev.lamplighter.worker.Lamplighter;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * The CLI's {@code explain}, {@code doctor} and {@code drift} as JSON: {@code GET
 * /api/schedules/{name}/explain}, {@code GET /api/doctor}, {@code GET /api/drift}, with the same
 * classes ({@code internal.ops}) and statements. Reads only: an explanation runs in a transaction
 * that is rolled back. Not API.
 */
final class OpsApi {

    /** A node is live when its heartbeat is this recent (the CLI's {@code nodes}, doctor and drift). */
    static final Duration LIVE_WITHIN = ClusterApi.LIVE_WITHIN;
    private static final String SELF = "this admin server";

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration pollInterval;
    private final Launchers launchers;
    private final String conditionRole;

    OpsApi(Jdbi jdbi, Clock clock, Duration pollInterval, Lamplighter node) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.pollInterval = pollInterval;
        this.launchers = launchers(node);
        this.conditionRole = node == null ? null : node.config().conditionRole();
    }

    /**
     * The embedded node's launchers when there is one (what it checks is what it would decide);
     * else those of this classpath, found as {@code lamplighter run} finds them (built-ins, then
     * {@code ServiceLoader}).
     */
    static Launchers launchers(Lamplighter node) {
        String advice = "run the admin server inside a node that has it (LamplighterAdmin.builder(...).node(node)), "
                + "or the CLI with the jar that holds it";
        if (node != null) {
            return new Launchers(node.launchers(), "node " + node.config().nodeId() + " (the admin server's node)",
                    advice + ": lamplighter explain %s", advice + ": lamplighter doctor");
        }
        return new Launchers(Launchers.discover(Thread.currentThread().getContextClassLoader(), List.of()),
                "the admin server's classpath", advice + ": lamplighter explain %s", advice + ": lamplighter doctor");
    }

    /** GET /api/schedules/{name}/explain: the fields of {@code lamplighter explain NAME --json}. */
    void explain(Context ctx) {
        Requests.onlyParams(ctx, Set.of());
        String name = Requests.scheduleName(ctx);
        Explainer explainer = new Explainer(launchers, conditionRole, clock);
        Map<String, Object> body = jdbi.withHandle(h -> {
            Map<String, Object> row = explainer.row(h, name).orElseThrow(() -> ScheduleApi.notFound(h, name, "name"));
            String launcher = (String) row.get("launcher");
            if (launchers.get(launcher) == null) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("field", "launcher");
                d.put("value", launcher);
                d.put("allowed", launchers.names());
                throw ApiException.conflict("schedule '" + name + "' has launcher '" + launcher + "', which is not on "
                        + launchers.place() + ": nothing was evaluated; " + String.format(launchers.explainAdvice(), name), d);
            }
            return explainer.explain(h, row);
        });
        AdminServer.json(ctx, 200, body);
    }

    /** GET /api/doctor[?name=...&amp;conditions=false]: {@code lamplighter doctor [NAME] --json}; 200 healthy or not. */
    void doctor(Context ctx) {
        Requests.onlyParams(ctx, Set.of("name", "conditions"));
        String name = Requests.single(ctx, "name");
        if (name != null && !Requests.SCHEDULE_NAME.matcher(name).matches()) {
            throw ApiException.badRequest("name", name, Requests.SCHEDULE_NAME_ALLOWED);
        }
        String conditions = Requests.single(ctx, "conditions");
        if (conditions != null && !conditions.equals("true") && !conditions.equals("false")) {
            throw ApiException.badRequest("conditions", conditions,
                    "true (evaluate each launcher, the default) or false (read the tables only, as --no-conditions)");
        }
        Explainer explainer = "false".equals(conditions) ? null : new Explainer(launchers, conditionRole, clock);
        Doctor doctor = new Doctor(pollInterval, LIVE_WITHIN, clock, explainer, SELF);
        Map<String, Object> body = jdbi.withHandle(h -> {
            try {
                return Doctor.report(doctor.examine(h, name));
            } catch (ScheduleNotFoundException e) {
                throw ScheduleApi.notFound(h, name, "name");
            }
        });
        AdminServer.json(ctx, 200, body);
    }

    /** GET /api/drift: {@code lamplighter drift --json}, as {@code {count, drift: [...]}}. */
    void drift(Context ctx) {
        Requests.onlyParams(ctx, Set.of());
        List<Map<String, Object>> findings = jdbi.withHandle(h -> Drift.json(new Drift(LIVE_WITHIN, clock).findings(h)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", findings.size());
        body.put("drift", findings);
        AdminServer.json(ctx, 200, body);
    }
}
