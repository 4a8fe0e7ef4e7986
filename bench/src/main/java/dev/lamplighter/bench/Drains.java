package dev.lamplighter.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.lamplighter.JobHandler;
import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.LamplighterConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The queues whose drain rate the benchmark compares: each fills a backlog of no-op jobs, starts
 * draining, and returns the cost from the moment the backlog is committed to the moment the last
 * row reads done in the database.
 */
final class Drains {

    static final String NOOP_TYPE = "bench_noop";
    static final String DBS_TASK = "bench-noop";
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    /** One queue under test. */
    interface Drain {
        String name();

        Measure run(int threads, int jobs) throws Exception;
    }

    private Drains() {
    }

    static List<Drain> all(DataSource dataSource, Jdbi jdbi) {
        jdbi.useHandle(h -> h.createScript(BenchSql.get("raw_create")).execute());
        jdbi.useHandle(h -> h.createScript(BenchSql.get("dbs_create")).execute());
        return List.of(new RawSkipLocked(dataSource, jdbi, 1), new RawSkipLocked(dataSource, jdbi, 100),
                new DbScheduler(dataSource, jdbi), new LamplighterNode(dataSource, jdbi));
    }

    /**
     * The textbook loop: in one transaction lock up to {@code batch} queued rows with
     * {@code FOR UPDATE SKIP LOCKED}, run them, mark them done, commit.
     */
    static final class RawSkipLocked implements Drain {
        private final DataSource ds;
        private final Jdbi jdbi;
        private final int batch;

        RawSkipLocked(DataSource ds, Jdbi jdbi, int batch) {
            this.ds = ds;
            this.jdbi = jdbi;
            this.batch = batch;
        }

        @Override
        public String name() {
            return "raw SKIP LOCKED, " + batch + "/tx";
        }

        @Override
        public Measure run(int threads, int jobs) throws Exception {
            jdbi.useHandle(h -> h.execute(BenchSql.get("raw_clear")));
            jdbi.useHandle(h -> h.execute("VACUUM ANALYZE bench_raw_jobs"));
            jdbi.useHandle(h -> h.createUpdate(BenchSql.get("raw_fill")).bind("n", jobs).execute());
            Measure.Mark start = Measure.Mark.now(jdbi);
            AtomicReference<Exception> failure = new AtomicReference<>();
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(() -> {
                    try {
                        loop();
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    }
                }, "raw-" + batch + "-" + i);
                t.start();
                workers.add(t);
            }
            for (Thread t : workers) {
                t.join();
            }
            if (failure.get() != null) {
                throw failure.get();
            }
            return start.until(Measure.waitUntilZero(jdbi, () -> remaining(), TIMEOUT));
        }

        private long remaining() {
            return jdbi.withHandle(h -> h.createQuery(BenchSql.get("raw_remaining")).mapTo(Long.class).one());
        }

        private void loop() throws Exception {
            String claim = BenchSql.get("raw_claim").replace(":n", "?");
            String complete = BenchSql.get("raw_complete").replace(":ids", "?");
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                while (true) {
                    List<Long> ids = new ArrayList<>(batch);
                    try (PreparedStatement ps = c.prepareStatement(claim)) {
                        ps.setInt(1, batch);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                ids.add(rs.getLong(1));   // the no-op job ran
                            }
                        }
                    }
                    if (ids.isEmpty()) {
                        c.commit();
                        return;
                    }
                    try (PreparedStatement ps = c.prepareStatement(complete)) {
                        ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                        ps.executeUpdate();
                    }
                    c.commit();
                }
            }
        }
    }

    /** db-scheduler 16, lock-and-fetch polling, one-time tasks with no data. */
    static final class DbScheduler implements Drain {
        private final DataSource ds;
        private final Jdbi jdbi;

        DbScheduler(DataSource ds, Jdbi jdbi) {
            this.ds = ds;
            this.jdbi = jdbi;
        }

        @Override
        public String name() {
            return "db-scheduler 16, lock-and-fetch";
        }

        @Override
        public Measure run(int threads, int jobs) throws Exception {
            jdbi.useHandle(h -> h.execute(BenchSql.get("dbs_clear")));
            jdbi.useHandle(h -> h.execute("VACUUM ANALYZE scheduled_tasks"));
            OneTimeTask<Void> task = Tasks.oneTime(DBS_TASK).execute((instance, ctx) -> { });
            Scheduler scheduler = Scheduler.create(ds, task)
                    .threads(threads)
                    .pollUsingLockAndFetch(0.5, 1.0)
                    .pollingInterval(Duration.ofMillis(100))
                    .schedulerName(new SchedulerName.Fixed("bench-" + threads))
                    .shutdownMaxWait(Duration.ofSeconds(5))
                    .build();
            scheduler.start();
            try {
                jdbi.useHandle(h -> h.createUpdate(BenchSql.get("dbs_fill")).bind("task", DBS_TASK).bind("n", jobs).execute());
                Measure.Mark start = Measure.Mark.now(jdbi);
                return start.until(Measure.waitUntilZero(jdbi, () -> jdbi.withHandle(h -> h.createQuery(BenchSql.get("dbs_remaining"))
                        .bind("task", DBS_TASK).mapTo(Long.class).one()), TIMEOUT));
            } finally {
                scheduler.stop();
            }
        }
    }

    /** A Lamplighter node with a no-op handler, the scheduler off. */
    static final class LamplighterNode implements Drain {
        private final DataSource ds;
        private final Jdbi jdbi;
        private int runs;

        LamplighterNode(DataSource ds, Jdbi jdbi) {
            this.ds = ds;
            this.jdbi = jdbi;
        }

        @Override
        public String name() {
            return "Lamplighter " + Lamplighter.VERSION;
        }

        @Override
        public Measure run(int threads, int jobs) throws Exception {
            jdbi.useHandle(h -> h.execute(BenchSql.get("lamp_clear")));
            jdbi.useHandle(h -> h.execute("VACUUM ANALYZE lamplighter.jobs"));
            try (Lamplighter node = Lamplighter.builder(ds)
                    .config(LamplighterConfig.builder().workerThreads(threads).schedulerEnabled(false).migrate(false)
                            .workerPollInterval(Duration.ofMillis(100)).nodeId("bench-drain-" + (++runs)).build())
                    .handler(noop(NOOP_TYPE))
                    .start()) {
                jdbi.useHandle(h -> h.createUpdate(BenchSql.get("lamp_fill")).bind("jobType", NOOP_TYPE).bind("n", jobs).execute());
                Measure.Mark start = Measure.Mark.now(jdbi);
                return start.until(Measure.waitUntilZero(jdbi, () -> jdbi.withHandle(h -> h.createQuery(BenchSql.get("lamp_remaining"))
                        .bind("jobType", NOOP_TYPE).mapTo(Long.class).one()), TIMEOUT));
            }
        }
    }

    static JobHandler noop(String type) {
        return new JobHandler() {
            @Override
            public String jobType() {
                return type;
            }

            @Override
            public Map<String, Object> run(dev.lamplighter.JobContext ctx) {
                return Map.of();
            }
        };
    }
}
