package dev.lamplighter.bench;

import dev.lamplighter.Decision;
import dev.lamplighter.JobContext;
import dev.lamplighter.JobHandler;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.internal.poll.PollerSettings;
import dev.lamplighter.worker.internal.poll.SchedulePoller;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/** The figures only Lamplighter has: enqueue rate, add-to-start latency, poll tick cost. */
final class LamplighterFigures {

    static final String ENQUEUE_TYPE = "bench_enqueue";
    static final String LATENCY_TYPE = "bench_latency";

    private final DataSource ds;
    private final Jdbi jdbi;
    private int nodes;

    LamplighterFigures(DataSource ds, Jdbi jdbi) {
        this.ds = ds;
        this.jdbi = jdbi;
    }

    /** {@code n} single-row enqueues in one transaction. */
    Measure enqueueOneTransaction(int n) throws Exception {
        clearJobs();
        LamplighterClient client = LamplighterClient.create(ds);
        Measure.Mark start = Measure.Mark.now(jdbi);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < n; i++) {
                client.enqueue(c, JobRequest.builder(ENQUEUE_TYPE).put("i", i).build());
            }
            c.commit();
            c.setAutoCommit(true);
        }
        return start.until(Measure.Mark.now(jdbi));
    }

    /** {@code n} jobs in one {@code enqueueAll} statement. */
    Measure enqueueAll(int n) {
        clearJobs();
        LamplighterClient client = LamplighterClient.create(ds);
        java.util.List<JobRequest> requests = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            requests.add(JobRequest.builder(ENQUEUE_TYPE).put("i", i).build());
        }
        Measure.Mark start = Measure.Mark.now(jdbi);
        client.enqueueAll(requests);
        return start.until(Measure.Mark.now(jdbi));
    }

    /** {@code n} transactions of one enqueue each. */
    Measure enqueueOneEach(int n) {
        clearJobs();
        LamplighterClient client = LamplighterClient.create(ds);
        Measure.Mark start = Measure.Mark.now(jdbi);
        for (int i = 0; i < n; i++) {
            client.enqueue(JobRequest.builder(ENQUEUE_TYPE).put("i", i).build());
        }
        return start.until(Measure.Mark.now(jdbi));
    }

    /**
     * Enqueues {@code rate} jobs a second for {@code seconds} into a running node (4 worker threads)
     * and returns each job's time from enqueue to handler start, in milliseconds, sorted.
     */
    double[] addToStartLatency(int rate, int seconds) throws Exception {
        clearJobs();
        int total = rate * seconds;
        double[] latencies = new double[total];
        AtomicInteger seen = new AtomicInteger();
        CountDownLatch allStarted = new CountDownLatch(total);
        JobHandler handler = new JobHandler() {
            @Override
            public String jobType() {
                return LATENCY_TYPE;
            }

            @Override
            public Map<String, Object> run(JobContext ctx) {
                long sent = ((Number) ctx.payload().get("sent_nanos")).longValue();
                int i = seen.getAndIncrement();
                if (i < total) {
                    latencies[i] = (System.nanoTime() - sent) / 1e6;
                }
                allStarted.countDown();
                return Map.of();
            }
        };
        LamplighterClient client = LamplighterClient.create(ds);
        ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
        try (Lamplighter node = Lamplighter.builder(ds)
                .config(LamplighterConfig.builder().workerThreads(4).schedulerEnabled(false).migrate(false)
                        .nodeId("bench-latency-" + (++nodes)).build())
                .handler(handler)
                .start()) {
            AtomicInteger sent = new AtomicInteger();
            producer.scheduleAtFixedRate(() -> {
                if (sent.getAndIncrement() < total) {
                    client.enqueue(JobRequest.builder(LATENCY_TYPE).put("sent_nanos", System.nanoTime()).build());
                }
            }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
            if (!allStarted.await(seconds + 120L, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (total - allStarted.getCount()) + " of " + total + " jobs started in time");
            }
        } finally {
            producer.shutdownNow();
        }
        Arrays.sort(latencies);
        return latencies;
    }

    /**
     * Makes {@code schedules} schedules of a launcher that always skips due at once, and returns
     * the cost from that commit until every one has its last_run set, over a node with the worker
     * off. The rows are made once per size and triggered again on each call.
     */
    Measure dueTick(int schedules, boolean fill) throws Exception {
        if (fill) {
            jdbi.useHandle(h -> h.execute(BenchSql.get("lamp_schedules_clear")));
            jdbi.useHandle(h -> h.createUpdate(BenchSql.get("lamp_schedules_fill"))
                    .bind("launcher", SkipLauncher.NAME).bind("n", schedules).execute());
            jdbi.useHandle(h -> h.execute("VACUUM ANALYZE lamplighter.scheduled_jobs"));
        }
        try (Lamplighter node = Lamplighter.builder(ds)
                .config(LamplighterConfig.builder().workerThreads(0).migrate(false)
                        .pollInterval(LamplighterConfig.MAX_POLL_INTERVAL).nodeId("bench-tick-" + (++nodes)).build())
                .launcher(new SkipLauncher())
                .start()) {
            jdbi.useHandle(h -> h.execute(BenchSql.get("lamp_schedules_trigger")));
            Measure.Mark start = Measure.Mark.now(jdbi);
            return start.until(Measure.waitUntilZero(jdbi, () -> schedules - jdbi.withHandle(h -> h.createQuery(
                    BenchSql.get("lamp_schedules_checked")).mapTo(Long.class).one()), Duration.ofMinutes(10)));
        }
    }

    /**
     * The time of one tick with nothing due (the schedules of the last {@link #dueTick} still in
     * the table, next due in a day), in milliseconds: median of {@code ticks} ticks of the poll
     * loop run directly, as its tests do.
     */
    double idleTickMillis(int ticks) {
        LamplighterConfig config = LamplighterConfig.builder().migrate(false).build();
        SchedulePoller poller = new SchedulePoller(jdbi, Map.of(SkipLauncher.NAME, new SkipLauncher()), PollerSettings.from(config));
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < ticks; i++) {
            long t0 = System.nanoTime();
            poller.runOnce();
            times.add((System.nanoTime() - t0) / 1e6);
        }
        return Stats.median(times);
    }

    void clearJobs() {
        jdbi.useHandle(h -> h.execute(BenchSql.get("lamp_clear")));
    }

    void clearSchedules() {
        jdbi.useHandle(h -> h.execute(BenchSql.get("lamp_schedules_clear")));
    }

    /** A launcher that always skips: the tick's own cost, no job enqueued. */
    static final class SkipLauncher implements Launcher {
        static final String NAME = "BenchSkipLauncher";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Decision checkConditions(LaunchContext ctx) {
            return Decision.skip("bench: always skip");
        }
    }
}
