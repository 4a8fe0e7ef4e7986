package dev.lamplighter.worker.queue;

import dev.lamplighter.JobHandler;
import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.internal.db.Database;
import dev.lamplighter.worker.internal.queue.WorkerPool;
import dev.lamplighter.worker.internal.queue.WorkerSettings;
import java.time.Duration;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Prints how fast one worker pool drains a backlog of no-op jobs, and how many write transactions
 * it committed per job (all commits, and write transactions: transaction ids drawn, as the
 * QueueBenchmark counts them). Not a test (it asserts nothing); run it by hand, see docs/figures.md.
 *
 * <p>Arguments: JDBC URL, user, password, jobs, threads, and optionally the prefetch cap (default:
 * the node's default).
 */
public final class DrainProbe {

    private DrainProbe() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int jobs = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        ConnectionInfo info = new ConnectionInfo(url, args[1], args[2]);
        long[] before;
        long ns;
        try (Database db = Database.connect(info, threads + 4, "probe")) {
            db.migrate();
            Jdbi jdbi = db.jdbi();
            jdbi.useHandle(h -> {
                h.execute("TRUNCATE lamplighter.jobs CASCADE");
                h.createUpdate("""
                        INSERT INTO lamplighter.jobs (job_type, status, payload, job_source, run_at)
                        SELECT 'noop', 'queued', '{}', 'api', now() - interval '1 second' FROM generate_series(1, :n)""")
                        .bind("n", jobs).execute();
                h.execute("VACUUM ANALYZE lamplighter.jobs");
            });
            before = stats(jdbi);
            WorkerSettings settings = new WorkerSettings("probe", threads, Duration.ofSeconds(1), Duration.ofMinutes(5),
                    Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofSeconds(10), null);
            if (args.length > 5) {
                settings = settings.withPrefetch(Integer.parseInt(args[5]));
            }
            WorkerPool pool = new WorkerPool(jdbi, Map.of("noop", JobHandler.of("noop", ctx -> Map.of())), settings);
            long t0 = System.nanoTime();
            pool.start();
            // Parked 5 ms between checks, not spinning: a busy probe takes CPU and wake-ups from the pool.
            while (pool.completedCount() < jobs) {
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
            }
            ns = System.nanoTime() - t0;
            pool.stop();
        }
        // The pool's backends have exited, so their statistics are published.
        try (Database db = Database.connect(info, 1, "probe-stats")) {
            long[] after = stats(db.jdbi());
            System.out.printf("jobs=%d threads=%d seconds=%.2f jobs/s=%.0f commits/job=%.2f write-xacts/job=%.3f "
                            + "job-updates=%d hot=%d%n",
                    jobs, threads, ns / 1e9, jobs / (ns / 1e9), (double) (after[0] - before[0]) / jobs,
                    (double) (after[3] - before[3]) / jobs, after[1] - before[1], after[2] - before[2]);
        }
    }

    private static long[] stats(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()),
                               n_tup_upd, n_tup_hot_upd,
                               CAST(CAST(pg_snapshot_xmax(pg_current_snapshot()) AS text) AS bigint)
                        FROM pg_stat_user_tables WHERE relid = CAST('lamplighter.jobs' AS regclass)""")
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)}).one());
    }
}
