package dev.lamplighter.admin.internal;

import dev.lamplighter.worker.Lamplighter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code GET /health}: the database answers within {@link #DATABASE_TIMEOUT}; while schedules are
 * due, some node led a tick within {@link #TICK_INTERVALS} poll intervals; a live node has handlers
 * (workers); and, when the admin runs inside a node, that node's own {@link Lamplighter#health()}
 * and its last tick ({@link Lamplighter#lastTick()}). Not API.
 */
final class HealthCheck {

    /** How long the database may take to answer, connection included. */
    static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(2);
    /** A node is live when its heartbeat (every 30 s) is younger than this. */
    static final Duration LIVE_AFTER = Duration.ofSeconds(90);
    /** The poll loop is stalled when no node led a tick within this many poll intervals while schedules are due. */
    static final int TICK_INTERVALS = 3;

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration pollInterval;
    private final Lamplighter node;
    private final ExecutorService executor;

    HealthCheck(Jdbi jdbi, Clock clock, Duration pollInterval, Lamplighter node, ExecutorService executor) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.pollInterval = pollInterval;
        this.node = node;
        this.executor = executor;
    }

    /** The report: {@code healthy}, the reasons when not, and each check's details. */
    Map<String, Object> report() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> checks = new LinkedHashMap<>();
        Duration tickWithin = pollInterval.multipliedBy(TICK_INTERVALS);
        Instant now = clock == null ? null : clock.instant();
        Map<String, Object> rows = null;
        long started = System.nanoTime();
        Future<Map<String, Object>> read = executor.submit(() -> {
            Map<String, Object> r = new LinkedHashMap<>(jdbi.withHandle(h -> h.createQuery(AdminSql.HEALTH)
                    .setQueryTimeout((int) DATABASE_TIMEOUT.toSeconds())
                    .bind("now", now).bind("tickMs", tickWithin.toMillis()).bind("liveMs", LIVE_AFTER.toMillis())
                    .map(Rows.JSON).one()));
            if (node != null) {
                r.put("node_last_tick", node.lastTick());
            }
            return r;
        });
        Map<String, Object> database = new LinkedHashMap<>();
        try {
            rows = read.get(DATABASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            database.put("ok", true);
        } catch (TimeoutException e) {
            read.cancel(true);
            problems.add("database: no answer within " + DATABASE_TIMEOUT.toSeconds() + " s");
            database.put("ok", false);
        } catch (ExecutionException e) {
            problems.add("database: unreachable (" + AdminServer.rootMessage(e) + ")");
            database.put("ok", false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("database: check interrupted");
            database.put("ok", false);
        }
        database.put("ms", (System.nanoTime() - started) / 1_000_000);
        checks.put("database", database);

        if (rows != null) {
            Map<String, Object> poll = new LinkedHashMap<>();
            long leaders = ((Number) rows.get("recent_leaders")).longValue();
            long due = ((Number) rows.get("due_schedules")).longValue();
            poll.put("ok", leaders > 0 || due == 0);
            poll.put("last_led_tick_at", rows.get("last_led_tick_at"));
            poll.put("last_leader", rows.get("last_leader"));
            poll.put("due_schedules", due);
            poll.put("expected_within_seconds", tickWithin.toSeconds());
            if (leaders == 0 && due > 0) {
                problems.add("poll loop: no node led a tick in the last " + tickWithin.toSeconds() + " s ("
                        + TICK_INTERVALS + " poll intervals) while " + due + " schedule(s) are due ("
                        + (rows.get("last_led_tick_at") == null ? "no tick was ever led"
                        : "last tick " + rows.get("last_led_tick_at") + " by " + rows.get("last_leader")) + ")");
            }
            checks.put("poll_loop", poll);

            Map<String, Object> workers = new LinkedHashMap<>();
            long workerNodes = ((Number) rows.get("live_worker_nodes")).longValue();
            workers.put("ok", workerNodes > 0);
            workers.put("live_nodes", rows.get("live_nodes"));
            workers.put("live_nodes_with_handlers", workerNodes);
            if (workerNodes == 0) {
                problems.add("workers: no live node (heartbeat within " + LIVE_AFTER.toSeconds() + " s) has job handlers");
            }
            checks.put("workers", workers);
            Map<String, Object> pause = ClusterApi.healthEntry(jdbi);   // shown, never a problem: an operator paused it
            if (pause != null) {
                checks.put("pause", pause);
            }
        }

        if (node != null) {
            Lamplighter.Health own = node.health();
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("ok", own.healthy());
            n.put("node_id", node.nodeId());
            n.put("problems", own.problems());
            if (rows != null && rows.get("node_last_tick") instanceof dev.lamplighter.worker.LastTick t) {
                n.put("last_tick_at", t.at().orElse(null));
                n.put("last_tick_led", t.led());
            }
            own.problems().forEach(p -> problems.add("node " + node.nodeId() + ": " + p));
            checks.put("node", n);
        }

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("healthy", problems.isEmpty());
        report.put("problems", problems);
        report.put("checks", checks);
        return report;
    }
}
