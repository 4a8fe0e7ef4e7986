package dev.lamplighter.cli.demo;

import dev.lamplighter.Schedule;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.internal.config.Durations;
import dev.lamplighter.worker.internal.db.Database;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo: the seed's four scheduled jobs over a small vocabulary that a simulated ingestion keeps
 * changing, so that launches and skips show within a minute.
 *
 * <p>Demo mode differs from production in three ways, and says so when it starts: the poll
 * interval is {@link #POLL_INTERVAL}; every {@link #TRIGGER_EVERY} the demo triggers all four
 * schedules as an operator would ({@code UPDATE ... SET next_run = now()}), instead of waiting
 * hours for cron; and a document is "ingested" every {@link #INGEST_EVERY}, each followed by the
 * post-ingestion trigger of {@code ontology_annealing}.
 */
public final class Demo {

    public static final Duration POLL_INTERVAL = Duration.ofSeconds(5);
    public static final Duration TRIGGER_EVERY = Duration.ofSeconds(10);
    public static final Duration INGEST_EVERY = Duration.ofSeconds(3);

    static final List<String> SCHEDULES = List.of("category_refresh", "vocab_consolidation",
            "epistemic_remeasurement", "ontology_annealing");

    private static final Logger log = LoggerFactory.getLogger(Demo.class);

    private final Database database;
    private final LamplighterConfig config;
    private final PrintStream out;
    private final String psqlHint;

    public Demo(Database database, LamplighterConfig config, PrintStream out, String psqlHint) {
        this.database = database;
        this.config = config.toBuilder().pollInterval(POLL_INTERVAL).build();
        this.out = out;
        this.psqlHint = psqlHint;
    }

    /**
     * The demo's launchers, so that {@code lamplighter explain} and {@code doctor} can evaluate the
     * demo's schedules from the CLI's own jar.
     */
    public static List<dev.lamplighter.Launcher> launchers() {
        return DemoLaunchers.all();
    }

    /** The seed's four schedules, as a team would declare them. */
    static List<Schedule> schedules() {
        return List.of(
                Schedule.builder("category_refresh").cron("0 */6 * * *").launcher("CategoryRefreshLauncher")
                        .jobType("category_refresh").build(),
                Schedule.builder("vocab_consolidation").cron("0 */12 * * *").launcher("VocabConsolidationLauncher")
                        .jobType("vocab_consolidation").build(),
                Schedule.builder("epistemic_remeasurement").cron("0 * * * *").launcher("EpistemicRemeasurementLauncher")
                        .jobType("epistemic_remeasurement").build(),
                Schedule.builder("ontology_annealing").cron("0 */6 * * *").launcher("AnnealingLauncher")
                        .jobType("ontology_annealing").build());
    }

    /** Runs until {@code stop} is counted down or, when {@code duration} is given, until it has passed. */
    public void run(Duration duration, CountDownLatch stop) throws InterruptedException {
        Jdbi jdbi = database.jdbi();
        java.time.Instant startedAt = jdbi.withHandle(h -> h.createQuery("SELECT now()")
                .mapTo(java.sql.Timestamp.class).one()).toInstant();
        createSchema(jdbi);
        Lamplighter.Builder builder = Lamplighter.builder(database.dataSource())
                .config(config.toBuilder().migrate(false).build());   // migrated as it was opened
        DemoLaunchers.all().forEach(builder::launcher);
        DemoHandlers.all(jdbi).forEach(builder::handler);
        schedules().forEach(builder::schedule);
        banner(duration);
        ScheduledExecutorService simulator = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-simulator");
            t.setDaemon(true);
            return t;
        });
        try (Lamplighter node = builder.start()) {
            LamplighterClient client = node.client();
            simulator.scheduleWithFixedDelay(() -> safely("ingest", () -> ingest(jdbi, client)),
                    INGEST_EVERY.toMillis(), INGEST_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            simulator.scheduleWithFixedDelay(() -> safely("trigger", () -> SCHEDULES.forEach(client::trigger)),
                    0, TRIGGER_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            if (duration == null) {
                stop.await();
            } else if (!stop.await(duration.toMillis(), TimeUnit.MILLISECONDS)) {
                out.println();
                out.println("Demo ran for " + Durations.human(duration) + "; stopping.");
            }
            simulator.shutdownNow();
            simulator.awaitTermination(10, TimeUnit.SECONDS);
        } finally {
            simulator.shutdownNow();
        }
        summary(jdbi, startedAt);
    }

    /** (Re)creates the demo's schema, lamplighter_demo, with its starting vocabulary. */
    static void createSchema(Jdbi jdbi) {
        // One simple-protocol execute: PostgreSQL runs the whole script, dollar-quoted bodies included.
        jdbi.useHandle(h -> {
            try (java.sql.Statement s = h.getConnection().createStatement()) {
                s.execute(resource("lamplighter/demo/schema.sql"));
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("Cannot create the demo schema lamplighter_demo: " + e.getMessage(), e);
            }
        });
    }

    private void banner(Duration duration) {
        out.println();
        out.println("Lamplighter demo: the four scheduled jobs of the knowledge-graph seed, over a small vocabulary.");
        out.println("  Demo mode: poll interval " + Durations.human(POLL_INTERVAL) + " (production default 60s);");
        out.println("  every " + Durations.human(TRIGGER_EVERY) + " the demo triggers all four schedules"
                + " (UPDATE lamplighter.scheduled_jobs SET next_run = now()) instead of waiting for cron;");
        out.println("  a document is \"ingested\" every " + Durations.human(INGEST_EVERY)
                + ", followed by the post-ingestion trigger of ontology_annealing.");
        out.println("  Look inside while it runs:  psql " + psqlHint);
        out.println("    SELECT name, schedule_cron, enabled, last_run, last_success, next_run FROM lamplighter.scheduled_jobs ORDER BY name;");
        out.println("    SELECT schedule_name, outcome, reason FROM lamplighter.decision_log ORDER BY decision_id DESC LIMIT 20;");
        out.println(duration == null ? "  Stop with Ctrl-C." : "  Stops by itself after " + Durations.human(duration) + ".");
        out.println();
    }

    private void summary(Jdbi jdbi, java.time.Instant startedAt) {
        List<Map<String, Object>> rows = jdbi.withHandle(h -> h.createQuery("""
                SELECT schedule_name,
                       count(*) FILTER (WHERE outcome = 'launched') AS launched,
                       count(*) FILTER (WHERE outcome = 'skipped') AS skipped,
                       count(*) FILTER (WHERE outcome = 'failed') AS failed
                FROM lamplighter.decision_log
                WHERE schedule_name IN (<names>)
                GROUP BY schedule_name ORDER BY schedule_name""")
                .bindList("names", SCHEDULES).mapToMap().list());
        Map<String, Object> jobs = jdbi.withHandle(h -> h.createQuery("""
                SELECT count(*) FILTER (WHERE status = 'completed') AS completed,
                       count(*) FILTER (WHERE status = 'failed') AS failed,
                       count(*) FILTER (WHERE status IN ('queued', 'running')) AS pending
                FROM lamplighter.jobs WHERE job_source = 'scheduled_task'""").mapToMap().one());
        out.println();
        out.println("Checks recorded in lamplighter.decision_log (this run and earlier ones on this database):");
        out.printf("  %-26s %9s %9s %7s%n", "schedule", "launched", "skipped", "failed");
        for (Map<String, Object> r : rows) {
            out.printf("  %-26s %9s %9s %7s%n", r.get("schedule_name"), r.get("launched"), r.get("skipped"), r.get("failed"));
        }
        List<Map<String, Object>> timeline = jdbi.withHandle(h -> h.createQuery("""
                SELECT to_char(decided_at AT TIME ZONE 'UTC', 'HH24:MI:SS') AS at, outcome,
                       figures ->> 'delta' AS delta, figures ->> 'threshold' AS threshold
                FROM lamplighter.decision_log
                WHERE schedule_name = 'epistemic_remeasurement' AND decided_at >= :since
                ORDER BY decision_id""").bind("since", startedAt).mapToMap().list());
        out.println();
        out.println("The seed's \"Epistemic Re-measurement\" timeline, for real (this run):");
        for (Map<String, Object> r : timeline) {
            String verdict = switch (String.valueOf(r.get("outcome"))) {
                case "launched" -> "RUN! (>= " + r.get("threshold") + ")";
                case "skipped" -> r.get("delta") == null ? "Skip (previous job still running)"
                        : "Skip (< " + r.get("threshold") + ")";
                default -> "failed";
            };
            out.println("  " + r.get("at") + " -> Check delta (" + (r.get("delta") == null ? "-" : r.get("delta")) + ") -> " + verdict);
        }
        out.println();
        out.println("Scheduled jobs: " + jobs.get("completed") + " completed, " + jobs.get("failed") + " failed, "
                + jobs.get("pending") + " pending.");
    }

    /**
     * One simulated document: a new type (one in three LLM-generated), now and then an active type
     * falling out of use; then the ingestion epoch advances and the post-ingestion trigger fires.
     */
    private static void ingest(Jdbi jdbi, LamplighterClient client) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                    INSERT INTO lamplighter_demo.vocab_types (name, status)
                    VALUES ('TYPE_' || (SELECT count(*) + 1 FROM lamplighter_demo.vocab_types), :status)""")
                    .bind("status", random.nextInt(3) == 0 ? "llm_generated" : "active").execute();
            if (random.nextInt(3) == 0) {
                h.execute("""
                        UPDATE lamplighter_demo.vocab_types SET status = 'inactive'
                        WHERE id = (SELECT id FROM lamplighter_demo.vocab_types WHERE status = 'active' ORDER BY random() LIMIT 1)""");
            }
        });
        long epoch = client.advanceEpoch("ingestion");
        log.info("Ingested a document (ingestion epoch {}); post-ingestion trigger of ontology_annealing", epoch);
        client.trigger("ontology_annealing");
    }

    private static void safely(String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("Demo {} failed: {}", what, e.getMessage());
        }
    }

    private static String resource(String path) {
        try (InputStream in = SqlFiles.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Demo resource " + path + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
