package dev.lamplighter.spring;

import dev.lamplighter.internal.SqlFiles;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges read from the database ({@code sql/metrics/read_gauges.sql}, over the view
 * {@code lamplighter.queue_status} and the table {@code lamplighter.scheduled_jobs}), so they
 * describe the whole deployment, not this node:
 * <ul>
 *   <li>{@value #QUEUE_DEPTH}{@code {job_type}}: queued jobs of the type;</li>
 *   <li>{@value #QUEUE_OLDEST_AGE}{@code {job_type}}: seconds since the oldest queued job of the
 *       type became due (0 when none is due);</li>
 *   <li>{@value #SCHEDULES}{@code {state}}: schedules by state, each counted once:
 *       {@code disabled}, else {@code failing} (retry_count &gt; 0), else {@code enabled}.</li>
 * </ul>
 * One query answers every gauge; its result is kept for {@link #DEFAULT_CACHE} so a scrape costs
 * one query. A job type gets its gauges when this node has a handler for it or when it is first
 * seen in the queue, and keeps them (0 when its queue is empty). When the database cannot be read
 * the gauges are NaN and one WARN line is logged until it can be read again.
 */
public class LamplighterMetrics implements MeterBinder {

    /** Queued jobs per job type. */
    public static final String QUEUE_DEPTH = "lamplighter.queue.depth";
    /** Age in seconds of the oldest due queued job per job type. */
    public static final String QUEUE_OLDEST_AGE = "lamplighter.queue.oldest.age";
    /** Schedules per state. */
    public static final String SCHEDULES = "lamplighter.schedules";
    /** How long one query result answers the gauges. */
    public static final Duration DEFAULT_CACHE = Duration.ofSeconds(5);

    private static final List<String> STATES = List.of("enabled", "disabled", "failing");
    private static final String READ = SqlFiles.load("metrics/read_gauges");
    private static final Logger log = LoggerFactory.getLogger(LamplighterMetrics.class);

    private final Jdbi jdbi;
    private final Duration cache;
    private final Collection<String> handledTypes;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Set<String> typesWithGauges = ConcurrentHashMap.newKeySet();
    private Figures figures;
    private long readAtNanos;
    private boolean failing;

    /**
     * Gauges over a database.
     *
     * @param dataSource the DataSource of the Lamplighter node
     * @param handledTypes job types that get gauges from the start (the node's handlers)
     * @param cache how long one query result answers the gauges
     */
    public LamplighterMetrics(DataSource dataSource, Collection<String> handledTypes, Duration cache) {
        this.jdbi = Jdbi.create(dataSource);
        this.handledTypes = List.copyOf(handledTypes);
        this.cache = cache;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        for (String state : STATES) {
            Gauge.builder(SCHEDULES, this, m -> m.figures().schedules(state))
                    .tag("state", state)
                    .description("Lamplighter schedules in this state (disabled, else failing: retry_count > 0, else enabled)")
                    .register(registry);
        }
        handledTypes.forEach(type -> queueGauges(registry, type));
    }

    private void queueGauges(MeterRegistry registry, String type) {
        Gauge.builder(QUEUE_DEPTH, this, m -> m.figures().depth(type))
                .tag("job_type", type)
                .description("Queued Lamplighter jobs of this type")
                .register(registry);
        Gauge.builder(QUEUE_OLDEST_AGE, this, m -> m.figures().oldestAge(type))
                .tag("job_type", type)
                .baseUnit("seconds")
                .description("Seconds since the oldest queued Lamplighter job of this type became due")
                .register(registry);
        typesWithGauges.add(type);
    }

    /** The figures of the last query, read again when older than the cache time. */
    synchronized Figures figures() {
        long nowNanos = System.nanoTime();
        if (figures != null && nowNanos - readAtNanos < cache.toNanos()) {
            return figures;
        }
        readAtNanos = nowNanos;
        try {
            figures = read();
            if (failing) {
                log.info("Lamplighter metrics read the database again");
            }
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("Lamplighter metrics cannot read the database; the gauges are NaN until it answers: {}", e.toString());
            }
            failing = true;
            figures = Figures.UNKNOWN;
        }
        for (String type : figures.depth().keySet()) {
            if (!typesWithGauges.contains(type)) {
                registries.forEach(r -> queueGauges(r, type));
            }
        }
        return figures;
    }

    private Figures read() {
        return jdbi.withHandle(h -> {
            Map<String, Double> depth = new ConcurrentHashMap<>();
            Map<String, Double> age = new ConcurrentHashMap<>();
            Map<String, Double> schedules = new ConcurrentHashMap<>();
            h.createQuery(READ).bind("now", (Instant) null).map((rs, ctx) -> {
                String kind = rs.getString("kind");
                String name = rs.getString("name");
                if (kind.equals("queue")) {
                    depth.put(name, rs.getDouble("count"));
                    age.put(name, rs.getDouble("oldest_age_seconds"));
                } else {
                    schedules.put(name, rs.getDouble("count"));
                }
                return kind;
            }).list();
            return new Figures(Map.copyOf(depth), Map.copyOf(age), Map.copyOf(schedules), false);
        });
    }

    /** One query result. */
    record Figures(Map<String, Double> depth, Map<String, Double> oldestAge, Map<String, Double> scheduleStates,
            boolean unknown) {

        static final Figures UNKNOWN = new Figures(Map.of(), Map.of(), Map.of(), true);

        double depth(String type) {
            return unknown ? Double.NaN : depth.getOrDefault(type, 0.0);
        }

        double oldestAge(String type) {
            return unknown ? Double.NaN : oldestAge.getOrDefault(type, 0.0);
        }

        double schedules(String state) {
            return unknown ? Double.NaN : scheduleStates.getOrDefault(state, 0.0);
        }
    }
}
