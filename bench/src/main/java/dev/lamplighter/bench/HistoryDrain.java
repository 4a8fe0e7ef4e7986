package dev.lamplighter.bench;

import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.LamplighterConfig;
import java.time.Duration;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The drain of a no-op backlog into a jobs table that already holds a long history (finished jobs
 * of the same type, as retention keeps them) and many queued jobs due in the future: the claim,
 * the completion and the worker's next-due probe must not slow down with the table's size. The
 * history and the future jobs are written once (and analysed), then each run adds its backlog
 * and drains it as {@link Drains.LamplighterNode} does.
 */
final class HistoryDrain {

    static final String TYPE = "bench_history";
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final DataSource ds;
    private final Jdbi jdbi;
    private final int finished;
    private final int future;
    private int runs;
    private boolean filled;

    HistoryDrain(DataSource ds, Jdbi jdbi, int finished, int future) {
        this.ds = ds;
        this.jdbi = jdbi;
        this.finished = finished;
        this.future = future;
    }

    String measurement(int threads) {
        return String.format(java.util.Locale.ROOT, "drain, %d threads, %,d finished + %,d future in table", threads,
                finished, future);
    }

    /** Writes the history and the future jobs (once), then drains a backlog of {@code jobs}. */
    Measure run(int threads, int jobs) throws Exception {
        if (!filled) {
            long t0 = System.nanoTime();
            jdbi.useHandle(h -> h.createUpdate(BenchSql.get("lamp_clear")).execute());
            jdbi.useHandle(h -> h.createUpdate(BenchSql.get("history_fill")).bind("jobType", TYPE).bind("n", finished).execute());
            jdbi.useHandle(h -> h.createUpdate(BenchSql.get("history_future")).bind("jobType", TYPE).bind("n", future).execute());
            jdbi.useHandle(h -> h.execute("VACUUM ANALYZE lamplighter.jobs"));
            filled = true;
            System.out.printf(java.util.Locale.ROOT, "  history: %,d finished and %,d future jobs written and analysed in %.1f s%n",
                    finished, future, (System.nanoTime() - t0) / 1e9);
        }
        java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(jobs);
        try (Lamplighter node = Lamplighter.builder(ds)
                .config(LamplighterConfig.builder().workerThreads(threads).schedulerEnabled(false).migrate(false)
                        .retention(false).workerPollInterval(Duration.ofMillis(100))
                        .nodeId("bench-history-" + (++runs)).build())
                .handler(Drains.counting(TYPE, ran))
                .start()) {
            Drains.fill(jdbi, "lamplighter.jobs", h -> h.createUpdate(BenchSql.get("lamp_fill")).bind("jobType", TYPE).bind("n", jobs).execute());
            Measure.Mark start = Measure.Mark.now(jdbi);
            return start.until(Measure.whenAllRan(ran, jdbi, () -> jdbi.withHandle(h -> h.createQuery(
                    BenchSql.get("history_remaining")).bind("jobType", TYPE).mapTo(Long.class).one()), TIMEOUT));
        }
    }

    /** Deletes the history, the future jobs and the drained backlog. */
    void clear() {
        jdbi.useHandle(h -> h.createUpdate(BenchSql.get("lamp_clear")).execute());
    }
}
