package dev.lamplighter.chaos;

import dev.lamplighter.Decision;
import dev.lamplighter.JobHandler;
import dev.lamplighter.Launcher;
import dev.lamplighter.Params;
import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.events.AttemptEvent;
import dev.lamplighter.worker.events.LamplighterListener;
import dev.lamplighter.worker.events.TickEvent;
import dev.lamplighter.worker.internal.Listeners;
import dev.lamplighter.worker.internal.poll.PollerSettings;
import dev.lamplighter.worker.internal.poll.SchedulePoller;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Runs the broken-rows cases against one database: writes each broken value over a good row (or
 * sees the database refuse it), mixes in healthy schedules and bulk rows that stay due forever,
 * drives the poll loop tick by tick on a hand-moved clock and a worker node for the jobs, then
 * reads what each row became ({@link BrokenRowsVerdicts}).
 */
final class BrokenRowsRun {

    static final String LAUNCHER = "Probe";
    static final String JOB_TYPE = "probe_job";
    /** Healthy schedules and how many minutes apart their slots are. */
    static final Map<String, Integer> HEALTHY = Map.of("healthy_utc", 1, "healthy_kathmandu", 1, "healthy_every_minute", 1,
            "healthy_every_two", 2);

    private final Jdbi jdbi;
    private final DataSource dataSource;
    private final BrokenRowsClock clock;
    private final int bulk;
    private final int ticks;
    final Instant start;
    final Map<String, String> rejected = new LinkedHashMap<>();
    final Map<String, Long> jobIds = new HashMap<>();
    final List<TickEvent> tickEvents = new ArrayList<>();
    final List<String> runProblems = new ArrayList<>();
    private final BlockingQueue<AttemptEvent> attempts = new LinkedBlockingQueue<>();
    /** What the run measured, one sentence (set by {@link #run}). */
    String figures = "";

    BrokenRowsRun(Jdbi jdbi, DataSource dataSource, BrokenRowsClock clock, int bulk, int ticks) {
        this.jdbi = jdbi;
        this.dataSource = dataSource;
        this.clock = clock;
        this.bulk = bulk;
        this.ticks = ticks;
        this.start = clock.instant().truncatedTo(ChronoUnit.HOURS);
        clock.set(start);
    }

    int ticks() {
        return ticks;
    }

    int bulk() {
        return bulk;
    }

    /** Writes every case, runs the ticks and the jobs; returns each case's result. */
    List<BrokenRowsResult> run(List<BrokenRowsCase> cases, BrokenRowsLog log) {
        insertHealthyAndBulk();
        for (BrokenRowsCase c : cases) {
            write(c);
        }
        Map<String, String> before = BrokenRowsVerdicts.snapshot(jdbi);
        Listeners listeners = new Listeners();
        listeners.add(new LamplighterListener() {
            @Override
            public void tickEnded(TickEvent event) {
                tickEvents.add(event);
            }
        });
        SchedulePoller poller = new SchedulePoller(jdbi, Map.of(LAUNCHER, new ProbeLauncher()),
                new PollerSettings("broken-rows-poller", Duration.ofMinutes(1), Duration.ofMinutes(1), 0x42524F4BL, clock,
                        100_000), listeners);
        try (Lamplighter workers = workerNode()) {
            for (int t = 0; t < ticks; t++) {
                clock.set(start.plus(Duration.ofMinutes(t)));
                log.tick(t);
                poller.runOnce();
            }
            log.tick(ticks);
            settleJobs();
        }
        log.tick(-1);
        figures = figures(log.lines());
        BrokenRowsVerdicts verdicts = new BrokenRowsVerdicts(jdbi, this, log.lines());
        runProblems.addAll(verdicts.runProblems(before));
        return cases.stream().map(verdicts::of).toList();
    }

    /** The ticks' counts and durations, the log's size, and the machine. */
    private String figures(List<BrokenRowsLog.Line> lines) {
        int launched = tickEvents.stream().mapToInt(TickEvent::launched).sum();
        int skipped = tickEvents.stream().mapToInt(TickEvent::skipped).sum();
        int failed = tickEvents.stream().mapToInt(TickEvent::failed).sum();
        long slowest = tickEvents.stream().mapToLong(e -> e.took().toMillis()).max().orElse(0);
        long warnings = lines.stream().filter(l -> l.level().equals("WARN") || l.level().equals("ERROR")).count();
        long traces = lines.stream().filter(BrokenRowsLog.Line::stackTrace).count();
        String postgres = jdbi.withHandle(h -> h.createQuery("SHOW server_version").mapTo(String.class).one());
        return ticks + " ticks one minute apart on a hand-moved clock: " + launched + " checks launched, " + skipped
                + " skipped, " + failed + " failed; slowest tick " + slowest + " ms. The node logged " + lines.size()
                + " lines at INFO or above (" + warnings + " at WARN or above), " + traces + " with a stack trace. "
                + "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + Runtime.version().feature() + ", PostgreSQL " + postgres.split(" ")[0] + ".";
    }

    private Lamplighter workerNode() {
        LamplighterConfig config = LamplighterConfig.builder().clock(clock).migrate(false).schedulerEnabled(false)
                .retention(false).nodeId("broken-rows-worker").workerThreads(2)
                .workerPollInterval(Duration.ofMillis(50)).jobRetryBase(Duration.ofMillis(100))
                .jobRetryMax(Duration.ofSeconds(1)).shutdownTimeout(Duration.ofSeconds(5)).build();
        return Lamplighter.builder(dataSource).config(config)
                .handler(JobHandler.of(JOB_TYPE, ctx -> Map.of("ok", true)))
                .listener(new LamplighterListener() {
                    @Override
                    public void attemptEnded(AttemptEvent event) {
                        attempts.add(event);
                    }
                })
                .start();
    }

    /**
     * Moves the clock a minute at a time until no job the node can run is due or running (each
     * retry's backoff passes), waiting for attempt events in between; at most a minute.
     */
    private void settleJobs() {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            int open = jdbi.withHandle(h -> h.createQuery("""
                    SELECT count(*) FROM lamplighter.jobs
                    WHERE job_type = :type AND (status = 'running' OR (status = 'queued' AND run_at <= :now))
                    """).bind("type", JOB_TYPE).bind("now", clock.instant()).mapTo(Integer.class).one());
            if (open == 0) {
                return;
            }
            clock.advance(Duration.ofMinutes(1));
            try {
                attempts.poll(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            attempts.clear();
        }
        runProblems.add("jobs still due or running a minute after the last tick: the queue did not drain");
    }

    private void insertHealthyAndBulk() {
        jdbi.useHandle(h -> {
            insertHealthy(h, "healthy_utc", "* * * * *", null, "UTC");
            insertHealthy(h, "healthy_kathmandu", "* * * * *", null, "Asia/Kathmandu");
            insertHealthy(h, "healthy_every_minute", null, "1 minute", "UTC");
            insertHealthy(h, "healthy_every_two", "*/2 * * * *", null, "UTC");
            // Rows that stay due forever, in bulk: a cron that never fires, a launcher no node has.
            h.createUpdate("""
                    INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, next_run)
                    SELECT format('bulk_never_%s', lpad(CAST(i AS text), 5, '0')), :launcher, :type, '0 0 30 2 *', :t
                    FROM generate_series(1, :n) AS i
                    """).bind("launcher", LAUNCHER).bind("type", JOB_TYPE).bind("t", start).bind("n", bulk - bulk / 2)
                    .execute();
            h.createUpdate("""
                    INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, next_run)
                    SELECT format('bulk_away_%s', lpad(CAST(i AS text), 5, '0')), 'NotOnThisNode', :type, '* * * * *', :t
                    FROM generate_series(1, :n) AS i
                    """).bind("type", JOB_TYPE).bind("t", start).bind("n", bulk / 2).execute();
        });
    }

    private void insertHealthy(Handle h, String name, String cron, String interval, String zone) {
        h.createUpdate("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, schedule_interval,
                                                        time_zone, next_run)
                VALUES (:name, :launcher, :type, :cron, CAST(:interval AS interval), :zone, :t)
                """).bind("name", name).bind("launcher", LAUNCHER).bind("type", JOB_TYPE).bind("cron", cron)
                .bind("interval", interval).bind("zone", zone).bind("t", start).execute();
    }

    private void insertSchedule(Handle h, String name) {
        h.createUpdate("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, next_run)
                VALUES (:name, :launcher, :type, '* * * * *', :t)
                """).bind("name", name).bind("launcher", LAUNCHER).bind("type", JOB_TYPE).bind("t", start).execute();
    }

    /** Writes the case's broken value over a good row in a transaction of its own; a refusal is kept. */
    private void write(BrokenRowsCase c) {
        if (c.table().equals(BrokenRowsCatalogue.SCHEDULES)) {
            jdbi.useHandle(h -> insertSchedule(h, c.id()));
            String update = "UPDATE lamplighter.scheduled_jobs SET " + c.set() + " WHERE name = :name";
            refused(c, () -> jdbi.useHandle(h -> h.createUpdate(update).bind("name", c.id()).execute()),
                    () -> jdbi.useHandle(h -> h.createUpdate("DELETE FROM lamplighter.scheduled_jobs WHERE name = :name")
                            .bind("name", c.id()).execute()));
            return;
        }
        long id = jdbi.withHandle(h -> h.createQuery("""
                INSERT INTO lamplighter.jobs (job_type, run_at, dedup_key) VALUES (:type, 'infinity', :key)
                RETURNING job_id
                """).bind("type", JOB_TYPE).bind("key", "broken-rows:" + c.id()).mapTo(Long.class).one());
        jobIds.put(c.id(), id);
        String runAt = c.set().contains("run_at =") ? "" : "run_at = CAST(:t AS timestamptz), ";
        String update = "UPDATE lamplighter.jobs SET " + runAt + c.set() + " WHERE job_id = :id";
        refused(c, () -> jdbi.useHandle(h -> {
            var u = h.createUpdate(update).bind("id", id);
            if (!runAt.isEmpty()) {
                u.bind("t", start);
            }
            u.execute();
        }), () -> jdbi.useHandle(h -> h.createUpdate("DELETE FROM lamplighter.jobs WHERE job_id = :id")
                .bind("id", id).execute()));
    }

    private void refused(BrokenRowsCase c, Runnable write, Runnable undo) {
        try {
            write.run();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            rejected.put(c.id(), message.lines().findFirst().orElse("").strip());
            undo.run();
        }
    }

    /**
     * The launcher of every case row and healthy schedule: reads {@code params.batch} (a whole
     * number from 1 to 1000, default 1) and launches.
     */
    static final class ProbeLauncher implements Launcher {
        @Override
        public String name() {
            return LAUNCHER;
        }

        @Override
        public void validateParams(Params params) {
            params.longValue("batch", 1, 1, 1000);
        }

        @Override
        public Decision checkConditions(dev.lamplighter.LaunchContext ctx) {
            return Decision.launch("probe launches every slot");
        }
    }
}
