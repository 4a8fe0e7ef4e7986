package dev.lamplighter.worker.queue;

import dev.lamplighter.JobHandler;
import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.internal.db.Database;
import dev.lamplighter.worker.internal.queue.WorkerPool;
import dev.lamplighter.worker.internal.queue.WorkerSettings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;

/**
 * Prints how fast one worker pool drains a backlog of no-op jobs of a type limited to
 * {@code maxRunning} ({@code lamplighter.job_types}), and the most handlers seen running at once.
 * Not a test (it asserts nothing); run it by hand, see docs/figures.md. Leaves no job_types row.
 *
 * <p>Arguments: JDBC URL, user, password, jobs, threads, maxRunning, and optionally how many
 * milliseconds each job works (0: none).
 */
public final class LimitedDrainProbe {

    private LimitedDrainProbe() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        int maxRunning = Integer.parseInt(args[5]);
        long workMs = args.length > 6 ? Long.parseLong(args[6]) : 0;
        try (Database db = Database.connect(new ConnectionInfo(args[0], args[1], args[2]), threads + 4, "probe")) {
            db.migrate();
            Jdbi jdbi = db.jdbi();
            jdbi.useHandle(h -> {
                h.execute("TRUNCATE lamplighter.jobs CASCADE");
                h.createUpdate("""
                        INSERT INTO lamplighter.jobs (job_type, status, payload, job_source, run_at)
                        SELECT 'noop', 'queued', '{}', 'api', now() - interval '1 second' FROM generate_series(1, :n)""")
                        .bind("n", jobs).execute();
                h.createUpdate("INSERT INTO lamplighter.job_types (job_type, max_running) VALUES ('noop', :m) "
                        + "ON CONFLICT (job_type) DO UPDATE SET max_running = EXCLUDED.max_running").bind("m", maxRunning).execute();
                h.execute("VACUUM ANALYZE lamplighter.jobs");
            });
            AtomicInteger now = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            WorkerSettings settings = new WorkerSettings("probe", threads, Duration.ofSeconds(1), Duration.ofMinutes(5),
                    Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofSeconds(10), null);
            WorkerPool pool = new WorkerPool(jdbi, Map.of("noop", JobHandler.of("noop", ctx -> {
                most.accumulateAndGet(now.incrementAndGet(), Math::max);
                if (workMs > 0) {
                    Thread.sleep(workMs);   // the job's work, as a bench figure; not a test
                }
                now.decrementAndGet();
                return Map.of();
            })), settings);
            long t0 = System.nanoTime();
            pool.start();
            while (pool.completedCount() < jobs) {
                Thread.onSpinWait();
            }
            long ns = System.nanoTime() - t0;
            pool.stop();
            jdbi.useHandle(h -> h.execute("DELETE FROM lamplighter.job_types WHERE job_type = 'noop'"));
            System.out.printf("jobs=%d threads=%d max_running=%d work-ms=%d seconds=%.2f jobs/s=%.0f most-running-at-once=%d%n",
                    jobs, threads, maxRunning, workMs, ns / 1e9, jobs / (ns / 1e9), most.get());
        }
    }
}
