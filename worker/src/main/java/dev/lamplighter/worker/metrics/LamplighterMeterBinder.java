package dev.lamplighter.worker.metrics;

import dev.lamplighter.TriggerSource;
import dev.lamplighter.worker.events.AttemptEvent;
import dev.lamplighter.worker.events.CheckEvent;
import dev.lamplighter.worker.events.LamplighterListener;
import dev.lamplighter.worker.events.TickEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A node's events as Micrometer meters: a {@link LamplighterListener} to register on the node
 * ({@code Lamplighter.builder(ds).listener(binder)} or {@code node.addListener(binder)}) and a
 * {@link MeterBinder} to bind to one or more registries. In the Prometheus format:
 *
 * <ul>
 *   <li>{@code lamplighter_checks_total{schedule,outcome}}: committed checks; outcome
 *       {@code launched}, {@code skipped}, {@code failed}, {@code missed};</li>
 *   <li>{@code lamplighter_skips_total{schedule,reason}}: checks that did not launch (skipped or
 *       missed); reason {@code condition_not_met}, {@code one_instance_active},
 *       {@code already_launched}, {@code missed_slot};</li>
 *   <li>{@code lamplighter_launcher_failures_total{schedule}}: failed checks (the launcher threw or
 *       the row is broken);</li>
 *   <li>{@code lamplighter_schedules_disabled_total{schedule}}: schedules disabled at max_retries;</li>
 *   <li>{@code lamplighter_decisions_total{source}}: committed checks by trigger source
 *       ({@code cron}, {@code manual}, {@code event}, ...);</li>
 *   <li>{@code lamplighter_jobs_claimed_total}, {@code _completed_total}, {@code _retried_total},
 *       {@code _failed_total}, {@code _timed_out_total}, {@code _released_total},
 *       {@code _rescued_total}, each {@code {job_type}};</li>
 *   <li>{@code lamplighter_tick_duration_seconds} (histogram): ticks this node led;</li>
 *   <li>{@code lamplighter_tick_lag_seconds} (histogram): per led tick that checked something, how
 *       late its oldest slot was checked;</li>
 *   <li>{@code lamplighter_job_duration_seconds{job_type}} (histogram): handler run time of every
 *       attempt whose outcome was written (released attempts excepted).</li>
 * </ul>
 *
 * <p>The only open-ended tags are {@code schedule} and {@code job_type}; each keeps at most
 * {@link #DEFAULT_MAX_TAG_VALUES} distinct values (or the number given), and later values are
 * counted under {@code other} (one WARN line the first time). A series appears with its first
 * event; a schedule's four {@code checks} series and four {@code skips} series appear together.
 * Thread-safe; nothing is read from the database.
 */
public final class LamplighterMeterBinder implements LamplighterListener, MeterBinder {

    /** The most distinct values of the {@code schedule} tag, and of {@code job_type}, before {@code other}. */
    public static final int DEFAULT_MAX_TAG_VALUES = 1000;
    /** The tag value under which values beyond the limit are counted. */
    public static final String OTHER = "other";

    private static final CheckEvent.Reason[] SKIP_REASONS = {CheckEvent.Reason.CONDITION_NOT_MET,
            CheckEvent.Reason.ONE_INSTANCE_ACTIVE, CheckEvent.Reason.ALREADY_LAUNCHED, CheckEvent.Reason.MISSED_SLOT};
    private static final Duration[] TICK_BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60);
    private static final Duration[] LAG_BUCKETS = seconds(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 21600, 86400);
    private static final Duration[] JOB_BUCKETS = seconds(0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600);

    private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
    private final TagLimit schedules;
    private final TagLimit jobTypes;
    private final Map<String, Counter[]> checks = new ConcurrentHashMap<>();
    private final Map<String, Counter[]> skips = new ConcurrentHashMap<>();
    private final Map<String, Counter> launcherFailures = new ConcurrentHashMap<>();
    private final Map<String, Counter> disabled = new ConcurrentHashMap<>();
    private final Map<TriggerSource, Counter> decisions = new ConcurrentHashMap<>();
    private final Map<String, Counter> claimed = new ConcurrentHashMap<>();
    private final Map<String, Counter[]> attempts = new ConcurrentHashMap<>();
    private final Map<String, Counter> rescued = new ConcurrentHashMap<>();
    private final Map<String, Timer> jobDurations = new ConcurrentHashMap<>();
    private final Timer tickDuration;
    private final Timer tickLag;

    /** Meters with at most {@link #DEFAULT_MAX_TAG_VALUES} schedules and job types each. */
    public LamplighterMeterBinder() {
        this(DEFAULT_MAX_TAG_VALUES);
    }

    /**
     * Meters with at most {@code maxTagValues} distinct schedules, and as many job types.
     *
     * @param maxTagValues 1 to 100,000
     * @throws IllegalArgumentException naming the value and what is allowed
     */
    public LamplighterMeterBinder(int maxTagValues) {
        if (maxTagValues < 1 || maxTagValues > 100_000) {
            throw new IllegalArgumentException("maxTagValues = " + maxTagValues + " is not allowed: expected 1 to 100000");
        }
        this.schedules = new TagLimit("schedule", maxTagValues);
        this.jobTypes = new TagLimit("job_type", maxTagValues);
        this.tickDuration = Timer.builder("lamplighter.tick.duration")
                .description("Poll-loop ticks this node led: lock, checks and commit")
                .serviceLevelObjectives(TICK_BUCKETS).register(registry);
        this.tickLag = Timer.builder("lamplighter.tick.lag")
                .description("How late each led tick checked its oldest due slot (now minus next_run)")
                .serviceLevelObjectives(LAG_BUCKETS).register(registry);
    }

    /**
     * Adds {@code target} to the registries these meters report to; binding a second registry
     * reports to both.
     */
    @Override
    public void bindTo(MeterRegistry target) {
        registry.add(target);
    }

    @Override
    public void tickEnded(TickEvent event) {
        if (!event.led()) {
            return;
        }
        tickDuration.record(event.took());
        if (event.checked() > 0) {
            tickLag.record(event.lag());
        }
    }

    @Override
    public void checked(CheckEvent event) {
        String schedule = schedules.value(event.schedule());
        get(checks, schedule, s -> {
            Counter[] c = new Counter[CheckEvent.Outcome.values().length];
            for (CheckEvent.Outcome o : CheckEvent.Outcome.values()) {
                c[o.ordinal()] = Counter.builder("lamplighter.checks").tag("schedule", s).tag("outcome", o.tag())
                        .description("Committed checks of each schedule by outcome").register(registry);
            }
            return c;
        })[event.outcome().ordinal()].increment();
        get(decisions, event.source(), src -> Counter.builder("lamplighter.decisions").tag("source", src.dbValue())
                .description("Committed checks by what made the schedule due").register(registry)).increment();
        if (event.outcome() == CheckEvent.Outcome.FAILED) {
            get(launcherFailures, schedule, s -> Counter.builder("lamplighter.launcher.failures").tag("schedule", s)
                    .description("Failed checks: the launcher threw, or the row is broken").register(registry)).increment();
            return;
        }
        if (event.outcome() == CheckEvent.Outcome.LAUNCHED) {
            return;
        }
        Counter[] bySkip = get(skips, schedule, s -> {
            Counter[] c = new Counter[CheckEvent.Reason.values().length];
            for (CheckEvent.Reason r : SKIP_REASONS) {
                c[r.ordinal()] = Counter.builder("lamplighter.skips").tag("schedule", s).tag("reason", r.tag())
                        .description("Checks that launched nothing, by reason class").register(registry);
            }
            return c;
        });
        Counter c = bySkip[event.reason().ordinal()];
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public void scheduleDisabled(String schedule, String error) {
        get(disabled, schedules.value(schedule), s -> Counter.builder("lamplighter.schedules.disabled")
                .tag("schedule", s).description("Schedules disabled after max_retries failed checks")
                .register(registry)).increment();
    }

    @Override
    public void claimed(String jobType, int count) {
        get(claimed, jobTypes.value(jobType), t -> Counter.builder("lamplighter.jobs.claimed").tag("job_type", t)
                .description("Jobs claimed by this node's workers").register(registry)).increment(count);
    }

    @Override
    public void attemptEnded(AttemptEvent event) {
        String type = jobTypes.value(event.jobType());
        get(attempts, type, t -> {
            Counter[] c = new Counter[AttemptEvent.Outcome.values().length];
            for (AttemptEvent.Outcome o : AttemptEvent.Outcome.values()) {
                c[o.ordinal()] = Counter.builder("lamplighter.jobs." + o.tag().replace('_', '.')).tag("job_type", t)
                        .description(ATTEMPT_HELP.get(o)).register(registry);
            }
            return c;
        })[event.outcome().ordinal()].increment();
        if (event.outcome() != AttemptEvent.Outcome.RELEASED) {
            get(jobDurations, type, t -> Timer.builder("lamplighter.job.duration").tag("job_type", t)
                    .description("How long handlers ran, per attempt whose outcome was written")
                    .serviceLevelObjectives(JOB_BUCKETS).register(registry)).record(event.ran());
        }
    }

    @Override
    public void rescued(String jobType, int count) {
        get(rescued, jobTypes.value(jobType), t -> Counter.builder("lamplighter.jobs.rescued").tag("job_type", t)
                .description("Jobs the rescuer took back after their lease ran out").register(registry)).increment(count);
    }

    private static final Map<AttemptEvent.Outcome, String> ATTEMPT_HELP = Map.of(
            AttemptEvent.Outcome.COMPLETED, "Attempts that completed their job",
            AttemptEvent.Outcome.RETRIED, "Attempts that failed with attempts left: the job is retried after a backoff",
            AttemptEvent.Outcome.FAILED, "Attempts that failed their job for good (attempts used up)",
            AttemptEvent.Outcome.TIMED_OUT, "Attempts that passed their time limit",
            AttemptEvent.Outcome.RELEASED, "Attempts given back to the queue when the node stopped");

    private static <K, V> V get(Map<K, V> map, K key, Function<K, V> make) {
        V v = map.get(key);
        return v != null ? v : map.computeIfAbsent(key, make);
    }

    private static Duration[] seconds(double... values) {
        Duration[] d = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = Duration.ofNanos((long) (values[i] * 1_000_000_000L));
        }
        return d;
    }

    /** At most {@code max} distinct values of one tag; later ones are {@link #OTHER}. */
    private static final class TagLimit {
        private final String tag;
        private final int max;
        private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
        private volatile boolean warned;

        TagLimit(String tag, int max) {
            this.tag = tag;
            this.max = max;
        }

        String value(String value) {
            if (seen.containsKey(value)) {
                return value;
            }
            synchronized (this) {
                if (seen.containsKey(value)) {
                    return value;
                }
                if (seen.size() < max) {
                    seen.put(value, Boolean.TRUE);
                    return value;
                }
            }
            if (!warned) {
                warned = true;
                org.slf4j.LoggerFactory.getLogger(LamplighterMeterBinder.class).warn(
                        "Lamplighter metrics: more than {} distinct {} values; '{}' and later ones are counted as '{}'",
                        max, tag, value, OTHER);
            }
            return OTHER;
        }
    }
}
