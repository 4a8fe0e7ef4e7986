package dev.lamplighter.admin.internal;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.metrics.LamplighterMeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code GET /metrics}: gauges read from the tables with one statement ({@code sql/admin/metrics.sql})
 * and exposed in the Prometheus text format through Micrometer. One read serves every scrape for
 * the cache time. Tags: schedule, job_type, and the closed sets state and outcome. With a node
 * ({@code LamplighterAdmin.Builder.node}), the node's event counters and histograms too
 * ({@link LamplighterMeterBinder}, registered on the node while the server runs). Not API.
 */
final class Metrics {

    /** Content type of the Prometheus text format 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** A gauge: its metric key in metrics.sql, its Micrometer name, unit and help. */
    private record Gauge(String key, String name, String unit, String help) {
    }

    private static final List<Gauge> GAUGES = List.of(
            new Gauge("queue_depth", "lamplighter.queue.depth", null,
                    "Runnable jobs (queued, run_at reached) per job type"),
            new Gauge("queue_oldest_age", "lamplighter.queue.oldest.age", "seconds",
                    "How long the oldest runnable job of each type has been waiting"),
            new Gauge("jobs_running", "lamplighter.jobs.running", null, "Running jobs per job type"),
            new Gauge("jobs_awaiting_approval", "lamplighter.jobs.awaiting.approval", null,
                    "Jobs waiting for a human (automation = hitl) per job type"),
            new Gauge("jobs_completed", "lamplighter.jobs.completed.last.hour", null,
                    "Jobs completed in the last hour per job type"),
            new Gauge("jobs_failed", "lamplighter.jobs.failed.last.hour", null,
                    "Jobs failed for good (attempts used up) in the last hour per job type"),
            new Gauge("schedules", "lamplighter.schedules", null,
                    "Schedules by state: enabled, disabled, failing (enabled with retry_count > 0)"),
            new Gauge("schedule_retry_count", "lamplighter.schedule.retry.count", null,
                    "Consecutive launcher failures of each schedule (0 when its last check was clean)"),
            new Gauge("decisions", "lamplighter.decisions.last.hour", null,
                    "Checks in the last hour per schedule and outcome: launched, skipped, failed"));

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration cacheTtl;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, MultiGauge> gauges = new LinkedHashMap<>();
    private long readAtNanos;
    private boolean read;
    private Lamplighter node;
    private LamplighterMeterBinder events;

    Metrics(Jdbi jdbi, Clock clock, Duration cacheTtl) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.cacheTtl = cacheTtl;
        for (Gauge g : GAUGES) {
            MultiGauge.Builder b = MultiGauge.builder(g.name()).description(g.help());
            if (g.unit() != null) {
                b.baseUnit(g.unit());
            }
            gauges.put(g.key(), b.register(registry));
        }
    }

    /** The text for a scrape, reading the tables first unless the last read is younger than the cache time. */
    synchronized String scrape() {
        long nowNanos = System.nanoTime();
        if (!read || nowNanos - readAtNanos >= cacheTtl.toNanos()) {
            refresh();
            read = true;
            readAtNanos = nowNanos;
        }
        return registry.scrape();
    }

    /**
     * Counts {@code node}'s events from now on ({@link LamplighterMeterBinder}, registered on the
     * node as its listener); nothing when {@code node} is null.
     *
     * @return this
     */
    synchronized Metrics countEventsOf(Lamplighter node) {
        if (node != null && this.node == null) {
            this.node = node;
            this.events = new LamplighterMeterBinder();
            events.bindTo(registry);
            node.addListener(events);
        }
        return this;
    }

    /** Stops counting the node's events; idempotent. */
    synchronized void close() {
        if (node != null) {
            node.removeListener(events);
        }
    }

    private void refresh() {
        List<Map<String, Object>> rows = jdbi.withHandle(h -> h.createQuery(AdminSql.METRICS)
                .bind("now", clock == null ? null : clock.instant()).map(Rows.JSON).list());
        Map<String, List<MultiGauge.Row<?>>> byMetric = new LinkedHashMap<>();
        gauges.keySet().forEach(k -> byMetric.put(k, new ArrayList<>()));
        for (Map<String, Object> r : rows) {
            List<MultiGauge.Row<?>> list = byMetric.get((String) r.get("metric"));
            if (list == null) {
                throw new IllegalStateException("sql/admin/metrics.sql returned an unknown metric " + r.get("metric"));
            }
            Tags tags = Tags.empty();
            for (String tag : List.of("schedule", "job_type", "state", "outcome")) {
                Object v = r.get(tag);
                if (v != null) {
                    tags = tags.and(tag, v.toString());
                }
            }
            list.add(MultiGauge.Row.of(tags, ((Number) r.get("value")).doubleValue()));
        }
        byMetric.forEach((k, list) -> gauges.get(k).register(list, true));
    }
}
