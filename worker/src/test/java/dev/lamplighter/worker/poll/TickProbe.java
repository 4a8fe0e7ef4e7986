package dev.lamplighter.worker.poll;

import dev.lamplighter.Decision;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.internal.db.Database;
import dev.lamplighter.worker.internal.poll.PollerSettings;
import dev.lamplighter.worker.internal.poll.SchedulePoller;
import dev.lamplighter.worker.internal.poll.TickResult;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Prints how long the poll loop takes over N due schedules with a trivial launcher (always launch,
 * or always skip), and what an idle tick costs. Not a test: a program, run by hand against a
 * database it may empty (docs/figures.md has the command).
 *
 * <p>Arguments: none. Environment: {@code TICK_PROBE_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/tick}), {@code TICK_PROBE_USER}/{@code TICK_PROBE_PASSWORD}
 * (default {@code bench}/{@code bench}), {@code TICK_PROBE_CHUNK} (schedules per transaction; default
 * {@link PollerSettings#DEFAULT_CHUNK_SIZE}). Every table of the lamplighter schema is emptied.
 */
public final class TickProbe {

    private TickProbe() {
    }

    public static void main(String[] args) {
        String url = System.getenv().getOrDefault("TICK_PROBE_URL", "jdbc:postgresql://127.0.0.1:5432/tick");
        String user = System.getenv().getOrDefault("TICK_PROBE_USER", "bench");
        String password = System.getenv().getOrDefault("TICK_PROBE_PASSWORD", "bench");
        Database db = Database.connect(new ConnectionInfo(url, user, password), 4, "tick-probe");
        db.migrate();
        Jdbi jdbi = db.jdbi();
        for (int n : new int[] {1_000, 10_000}) {
            for (boolean launch : new boolean[] {false, true}) {
                for (int round = 1; round <= 2; round++) {
                    reset(jdbi, n);
                    SchedulePoller poller = poller(jdbi, launch);
                    long started = System.nanoTime();
                    int ticks = 0;
                    int checked = 0;
                    TickResult r;
                    do {
                        r = poller.runOnce();
                        ticks++;
                        checked += r.checked();
                    } while (r.moreDue());
                    double ms = (System.nanoTime() - started) / 1e6;
                    System.out.printf(Locale.ROOT, "due=%d launcher=%s round=%d: checked=%d in %d tick(s), %.0f ms (%.0f us per check)%n",
                            n, launch ? "launch" : "skip", round, checked, ticks, ms, ms * 1000 / Math.max(1, checked));
                }
            }
        }
        // Idle: 10,000 schedules, none due.
        SchedulePoller poller = poller(jdbi, false);
        double[] idle = new double[500];
        for (int i = 0; i < 50; i++) {
            poller.runOnce();
        }
        for (int i = 0; i < idle.length; i++) {
            long t = System.nanoTime();
            TickResult r = poller.runOnce();
            idle[i] = (System.nanoTime() - t) / 1e6;
            if (r.checked() != 0) {
                throw new IllegalStateException("the idle tick checked " + r.checked());
            }
        }
        Arrays.sort(idle);
        System.out.printf(Locale.ROOT, "idle tick (10000 schedules, none due): median %.2f ms, p90 %.2f ms, max %.2f ms (wall time in the JVM, %d ticks)%n",
                idle[idle.length / 2], idle[idle.length * 9 / 10], idle[idle.length - 1], idle.length);
        db.close();
    }

    private static SchedulePoller poller(Jdbi jdbi, boolean launch) {
        Launcher launcher = new Launcher() {
            @Override
            public String name() {
                return "probe";
            }

            @Override
            public Decision checkConditions(LaunchContext ctx) {
                return launch ? Decision.launch(Map.of(), "always") : Decision.skip("never");
            }
        };
        PollerSettings settings = new PollerSettings("probe", Duration.ofSeconds(60), Duration.ofMinutes(2), 991L, null,
                PollerSettings.DEFAULT_BATCH_LIMIT);
        String chunk = System.getenv("TICK_PROBE_CHUNK");
        return new SchedulePoller(jdbi, Map.of("probe", launcher),
                chunk == null ? settings : settings.withChunkSize(Integer.parseInt(chunk)));
    }

    private static void reset(Jdbi jdbi, int n) {
        jdbi.useHandle(h -> {
            String tables = h.createQuery("""
                    SELECT string_agg(format('%I.%I', schemaname, tablename), ', ')
                    FROM pg_tables WHERE schemaname = 'lamplighter' AND tablename <> :history
                    """).bind("history", Database.HISTORY_TABLE).mapTo(String.class).one();
            h.execute("TRUNCATE " + tables + " RESTART IDENTITY CASCADE");
            h.execute("""
                    INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, next_run)
                    SELECT 'probe_' || i, 'probe', 'probe', '0 * * * *', now() - interval '1 minute'
                    FROM generate_series(1, ?) AS i
                    """, n);
            h.execute("VACUUM ANALYZE lamplighter.scheduled_jobs");
        });
    }
}
