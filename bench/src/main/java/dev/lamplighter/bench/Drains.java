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
import java.util.concurrent.CountDownLatch;
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
        jdbi.useHandle(h -> h.createScript(BenchSql.get("lease_create")).execute());
        jdbi.useHandle(h -> h.createScript(BenchSql.get("dbs_create")).execute());
        return List.of(new RawSkipLocked(dataSource, jdbi, 1), new RawSkipLocked(dataSource, jdbi, 100),
                new RawLeased(dataSource, jdbi, 100), new DbScheduler(dataSource, jdbi),
                new LamplighterStatements(jdbi, 100), new LamplighterNode(dataSource, jdbi));
    }

    /**
     * A raw loop over a bench table of its own: empties and fills the table ({@code <prefix>_clear},
     * {@code <prefix>_fill}), runs {@link #loop(int)} on each thread until the backlog is gone, and
     * measures until {@code <prefix>_remaining} reads zero.
     */
    abstract static class RawDrain implements Drain {
        final DataSource ds;
        final Jdbi jdbi;
        final int batch;
        private final String prefix;
        private final String table;

        RawDrain(DataSource ds, Jdbi jdbi, int batch, String prefix, String table) {
            this.ds = ds;
            this.jdbi = jdbi;
            this.batch = batch;
            this.prefix = prefix;
            this.table = table;
        }

        /** Thread {@code worker}'s loop; returns once nothing is left to claim. */
        abstract void work(int worker) throws Exception;

        @Override
        public Measure run(int threads, int jobs) throws Exception {
            jdbi.useHandle(h -> h.execute(BenchSql.get(prefix + "_clear")));
            jdbi.useHandle(h -> h.execute("VACUUM ANALYZE " + table));
            fill(jdbi, table, h -> h.createUpdate(BenchSql.get(prefix + "_fill")).bind("n", jobs).execute());
            Measure.Mark start = Measure.Mark.now(jdbi);
            runThreads(threads, prefix + "-" + batch, this::work);
            return start.until(Measure.waitUntilZero(jdbi, () -> remaining(jdbi, prefix + "_remaining"), TIMEOUT));
        }
    }

    /**
     * The textbook loop: in one transaction lock up to {@code batch} queued rows with
     * {@code FOR UPDATE SKIP LOCKED}, run them, mark them done, commit.
     */
    static final class RawSkipLocked extends RawDrain {

        RawSkipLocked(DataSource ds, Jdbi jdbi, int batch) {
            super(ds, jdbi, batch, "raw", "bench_raw_jobs");
        }

        @Override
        public String name() {
            return "raw SKIP LOCKED, " + batch + "/tx";
        }

        @Override
        void work(int worker) throws Exception {
            loop();
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

    /**
     * The raw loop with a lease: each worker leases up to {@code batch} rows in one transaction
     * (owner, expiry, attempt, committed, so a rescuer could take them back), runs them, and marks
     * them done in a second transaction that checks it still holds them. Two row versions per job
     * instead of one: the smallest price of a job that is visible as running while it runs.
     */
    static final class RawLeased extends RawDrain {

        RawLeased(DataSource ds, Jdbi jdbi, int batch) {
            super(ds, jdbi, batch, "lease", "bench_lease_jobs");
        }

        @Override
        public String name() {
            return "raw SKIP LOCKED + lease, " + batch + "/tx";
        }

        @Override
        void work(int worker) throws Exception {
            loop("lease-worker-" + worker);
        }

        private void loop(String worker) throws Exception {
            String claim = BenchSql.get("lease_claim").replace(":n", "?").replace(":worker", "?");
            String complete = BenchSql.get("lease_complete").replace(":ids", "?").replace(":worker", "?");
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(true);
                while (true) {
                    List<Long> ids = new ArrayList<>(batch);
                    try (PreparedStatement ps = c.prepareStatement(claim)) {
                        ps.setString(1, worker);
                        ps.setInt(2, batch);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                ids.add(rs.getLong(1));   // the no-op job ran
                            }
                        }
                    }
                    if (ids.isEmpty()) {
                        return;
                    }
                    try (PreparedStatement ps = c.prepareStatement(complete)) {
                        ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                        ps.setString(2, worker);
                        ps.executeUpdate();
                    }
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
            CountDownLatch ran = new CountDownLatch(jobs);
            OneTimeTask<Void> task = Tasks.oneTime(DBS_TASK).execute((instance, ctx) -> ran.countDown());
            Scheduler scheduler = Scheduler.create(ds, task)
                    .threads(threads)
                    .pollUsingLockAndFetch(0.5, 1.0)
                    .pollingInterval(Duration.ofMillis(100))
                    .schedulerName(new SchedulerName.Fixed("bench-" + threads))
                    .shutdownMaxWait(Duration.ofSeconds(5))
                    .build();
            scheduler.start();
            try {
                fill(jdbi, "scheduled_tasks", h -> h.createUpdate(BenchSql.get("dbs_fill")).bind("task", DBS_TASK).bind("n", jobs).execute());
                Measure.Mark start = Measure.Mark.now(jdbi);
                return start.until(Measure.whenAllRan(ran, jdbi, () -> jdbi.withHandle(h -> h.createQuery(BenchSql.get("dbs_remaining"))
                        .bind("task", DBS_TASK).mapTo(Long.class).one()), TIMEOUT));
            } finally {
                scheduler.stop();
            }
        }
    }

    /**
     * Lamplighter's own claim and completion statements ({@code sql/jobs/claim_plan.sql},
     * {@code claim_batch.sql}, {@code complete_batch.sql}), run by each thread in turn as the
     * raw loops run theirs, with no worker pool around them: what the queue's SQL costs on this
     * server, so that the gap to the node is the node's own (hand-over to handler threads,
     * batching, payload parsing) and the gap to the leased raw loop is the schema's and the
     * statements'.
     */
    static final class LamplighterStatements implements Drain {
        private static final String CLAIM_PLAN = dev.lamplighter.internal.SqlFiles.load("jobs/claim_plan");
        private static final String CLAIM = dev.lamplighter.internal.SqlFiles.load("jobs/claim_batch");
        private static final String COMPLETE = dev.lamplighter.internal.SqlFiles.load("jobs/complete_batch");
        private final Jdbi jdbi;
        private final int batch;

        LamplighterStatements(Jdbi jdbi, int batch) {
            this.jdbi = jdbi;
            this.batch = batch;
        }

        @Override
        public String name() {
            return "Lamplighter's SQL alone, " + batch + "/tx";
        }

        @Override
        public Measure run(int threads, int jobs) throws Exception {
            jdbi.useHandle(h -> h.execute(BenchSql.get("lamp_clear")));
            jdbi.useHandle(h -> h.execute("VACUUM ANALYZE lamplighter.jobs"));
            fill(jdbi, "lamplighter.jobs", h -> h.createUpdate(BenchSql.get("lamp_fill")).bind("jobType", NOOP_TYPE).bind("n", jobs).execute());
            Measure.Mark start = Measure.Mark.now(jdbi);
            runThreads(threads, "lamp-sql-" + batch, i -> loop("bench-sql-" + i));
            return start.until(Measure.waitUntilZero(jdbi, () -> jdbi.withHandle(h -> h.createQuery(BenchSql.get("lamp_remaining"))
                    .bind("jobType", NOOP_TYPE).mapTo(Long.class).one()), TIMEOUT));
        }

        private void loop(String node) {
            String[] types = {NOOP_TYPE};
            while (true) {
                List<Long> ids = new ArrayList<>(batch);
                List<Integer> attempts = new ArrayList<>(batch);
                jdbi.useTransaction(h -> {
                    h.createQuery(CLAIM_PLAN).mapTo(String.class).one();
                    h.createQuery(CLAIM).bind("now", (java.time.Instant) null).bind("jobTypes", types).bind("limit", batch)
                            .bind("nodeId", node).bind("leaseMs", 300_000L)
                            .map((rs, ctx) -> {
                                ids.add(rs.getLong("job_id"));   // the no-op job ran
                                attempts.add(rs.getInt("attempts"));
                                return null;
                            }).forEach(x -> { });
                });
                if (ids.isEmpty()) {
                    return;
                }
                String[] results = new String[ids.size()];
                java.util.Arrays.fill(results, "{}");
                jdbi.useHandle(h -> h.createQuery(COMPLETE).bind("jobIds", ids.toArray(Long[]::new))
                        .bind("attempts", attempts.toArray(Integer[]::new)).bind("results", results)
                        .bind("now", (java.time.Instant) null).bind("nodeId", node).mapTo(Long.class).list());
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
            CountDownLatch ran = new CountDownLatch(jobs);
            try (Lamplighter node = Lamplighter.builder(ds)
                    .config(prefetch(LamplighterConfig.builder()).workerThreads(threads).schedulerEnabled(false).migrate(false)
                            .workerPollInterval(Duration.ofMillis(100)).nodeId("bench-drain-" + (++runs)).build())
                    .handler(counting(NOOP_TYPE, ran))
                    .start()) {
                fill(jdbi, "lamplighter.jobs", h -> h.createUpdate(BenchSql.get("lamp_fill")).bind("jobType", NOOP_TYPE).bind("n", jobs).execute());
                Measure.Mark start = Measure.Mark.now(jdbi);
                return start.until(Measure.whenAllRan(ran, jdbi, () -> jdbi.withHandle(h -> h.createQuery(BenchSql.get("lamp_remaining"))
                        .bind("jobType", NOOP_TYPE).mapTo(Long.class).one()), TIMEOUT));
            }
        }
    }

    /**
     * Writes a system's backlog and analyses its table in the same transaction, so that every
     * system drains with statistics of its backlog, as autovacuum has them soon after a burst.
     * (Statistics of the empty table made db-scheduler's lock-and-fetch sort the whole backlog on
     * every fetch: about 1,000 jobs/s with 20,000 queued, 3,000 with 5,000. Lamplighter's claim
     * plans the same either way; ClaimPlanTest and LongHistoryPlanTest check it under stale ones.)
     */
    static void fill(Jdbi jdbi, String table, java.util.function.Consumer<org.jdbi.v3.core.Handle> insert) {
        jdbi.useTransaction(h -> {
            insert.accept(h);
            h.execute("ANALYZE " + table);
        });
    }

    /** One worker thread's loop of a raw drain. */
    private interface Loop {
        void run(int worker) throws Exception;
    }

    /** Runs {@code threads} copies of {@code loop} until each returns; rethrows the first failure. */
    private static void runThreads(int threads, String name, Loop loop) throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int worker = i;
            Thread t = new Thread(() -> {
                try {
                    loop.run(worker);
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }, name + "-" + i);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private static long remaining(Jdbi jdbi, String statement) {
        return jdbi.withHandle(h -> h.createQuery(BenchSql.get(statement)).mapTo(Long.class).one());
    }

    /** The node's prefetch cap: the default, or {@code -Dbench.prefetch=N} to measure another. */
    private static LamplighterConfig.Builder prefetch(LamplighterConfig.Builder b) {
        Integer cap = Integer.getInteger("bench.prefetch");
        return cap == null ? b : b.workerPrefetch(cap);
    }

    /** A no-op handler that counts each job it runs down on {@code ran}. */
    static JobHandler counting(String type, CountDownLatch ran) {
        return JobHandler.of(type, ctx -> {
            ran.countDown();
            return Map.of();
        });
    }
}
