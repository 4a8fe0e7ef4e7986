package dev.lamplighter.admin.internal;

import dev.lamplighter.LamplighterException;
import dev.lamplighter.admin.AdminSettings;
import dev.lamplighter.worker.Lamplighter;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Javalin server behind {@code LamplighterAdmin}: routes, the token guard, errors as JSON. Not API. */
public final class AdminServer {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    /** Jetty's own limit on a request body; the API refuses bodies over 4 KiB with a 400 first. */
    private static final long JETTY_MAX_REQUEST = 64 * 1024;

    private final Javalin app;
    private final ExecutorService healthExecutor;
    private final Metrics metrics;
    private boolean stopped;

    private AdminServer(Javalin app, ExecutorService healthExecutor, Metrics metrics) {
        this.app = app;
        this.healthExecutor = healthExecutor;
        this.metrics = metrics;
    }

    /** Starts listening; {@code node} and {@code clock} may be null. */
    public static AdminServer start(DataSource dataSource, AdminSettings settings, Lamplighter node, Clock clock) {
        Jdbi jdbi = Jdbi.create(dataSource);
        ExecutorService healthExecutor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "lamplighter-admin-health");
            t.setDaemon(true);
            return t;
        });
        TokenCheck token = new TokenCheck(settings.token(), settings.readToken());
        ScheduleApi schedules = new ScheduleApi(jdbi, clock);
        JobApi jobs = new JobApi(jdbi, clock);
        NodeApi nodes = new NodeApi(jdbi, clock);
        OpsApi ops = new OpsApi(jdbi, clock, settings.pollInterval(), node);
        HealthCheck health = new HealthCheck(jdbi, clock, settings.pollInterval(), node, healthExecutor);
        Metrics metrics = new Metrics(jdbi, clock, settings.metricsCacheTtl());
        AdminPage page = new AdminPage(token, new PageSessions(clock), new PageView(jdbi, clock), schedules, jobs);

        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = settings.bind();
            config.jetty.port = settings.port();
            config.http.maxRequestSize = JETTY_MAX_REQUEST;
            config.routes.before("/api/*", token::require);
            if (settings.metricsNeedToken()) {
                config.routes.before("/metrics", token::require);
            }
            config.routes.get("/", page::show);
            config.routes.post("/login", page::login);
            config.routes.post("/logout", page::logout);
            for (String action : new String[] {"trigger", "enable", "disable"}) {
                config.routes.post("/page/schedules/{name}/" + action, ctx -> page.scheduleChange(ctx, action));
            }
            for (JobApi.Action action : JobApi.Action.values()) {
                config.routes.post("/page/jobs/{id}/" + action.verb, ctx -> page.jobChange(ctx, action));
            }
            config.routes.get("/health", ctx -> {
                Map<String, Object> report = health.report();
                json(ctx, Boolean.TRUE.equals(report.get("healthy")) ? 200 : 503, report);
            });
            config.routes.get("/metrics", ctx -> {
                Requests.onlyParams(ctx, java.util.Set.of());
                ctx.contentType(Metrics.CONTENT_TYPE).result(metrics.scrape());
            });
            config.routes.get("/api/schedules", schedules::list);
            config.routes.get("/api/schedules/{name}", schedules::get);
            for (String action : new String[] {"trigger", "enable", "disable"}) {
                config.routes.post("/api/schedules/{name}/" + action, ctx -> schedules.change(ctx, action));
            }
            config.routes.get("/api/jobs", jobs::list);
            config.routes.get("/api/jobs/{id}", jobs::get);
            for (JobApi.Action action : JobApi.Action.values()) {
                config.routes.post("/api/jobs/{id}/" + action.verb, ctx -> jobs.change(ctx, action));
            }
            config.routes.get("/api/nodes", nodes::list);
            config.routes.get("/api/schedules/{name}/explain", ops::explain);
            config.routes.get("/api/doctor", ops::doctor);
            config.routes.get("/api/drift", ops::drift);
            new ClusterApi(jdbi, clock).routes(config.routes);

            config.routes.exception(ApiException.class, (e, ctx) -> json(ctx, e.status(), e.body()));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> json(ctx, e.getStatus(), e.getStatus() == 404
                    ? error("not_found", "no endpoint " + ctx.method() + " " + ctx.path() + ": GET / lists the endpoints")
                    : error("http_" + e.getStatus(), e.getMessage())));
            config.routes.exception(ConnectionException.class, (e, ctx) -> {
                log.warn("Admin API {} {}: the database cannot be reached: {}", ctx.method(), ctx.path(), rootMessage(e));
                json(ctx, 503, error("unavailable", "the database cannot be reached: " + rootMessage(e)));
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("Admin API {} {} failed", ctx.method(), ctx.path(), e);
                json(ctx, 500, error("internal", "the request failed: " + e.getClass().getSimpleName()
                        + " (the node's log has the details)"));
            });
            config.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty() || !ctx.result().startsWith("{")) {
                    json(ctx, 404, error("not_found", "no endpoint " + ctx.method() + " " + ctx.path()
                            + ": GET / lists the endpoints"));
                }
            });
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            healthExecutor.shutdownNow();
            throw new LamplighterException(AdminSettings.ENV_PORT + " = " + settings.port() + ": the admin server cannot listen on "
                    + settings.bind() + ":" + settings.port() + " (" + e.getMessage() + ")", e);
        }
        log.info("Admin server listening on http://{}:{} ({})", settings.bind(), app.port(), settings);
        // From now on /metrics counts the node's events too (none without a node).
        return new AdminServer(app, healthExecutor, metrics.countEventsOf(node));
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    static Map<String, Object> error(String code, String message) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("error", code);
        b.put("message", message);
        return b;
    }

    /** Writes {@code body} as JSON with {@code status}. */
    static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }

    /** The bound port. */
    public int port() {
        return app.port();
    }

    /** Stops the server; idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        app.stop();
        healthExecutor.shutdownNow();
        metrics.close();
        log.info("Admin server stopped");
    }
}
