package dev.lamplighter.chaos.racing;

import dev.lamplighter.worker.internal.db.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;

/**
 * The race between processes: {@code nodes} JVMs ({@link RaceNode}), each polling every second
 * on the database's clock, over {@code schedules} schedules due every 1 or 2 s, inserted once every
 * node is up (their NOTIFY wakes all nodes at once). The run lasts until the 1-second schedules
 * have had {@code ticks} slots checked. The launched jobs are completed as they are stored
 * ({@link InstantWorker}). The due slots are those in the decision log.
 */
public final class ProcessRace {

    /** The shortest interval of the schedules, and the nodes' poll interval. */
    public static final Duration STEP = Duration.ofSeconds(1);

    private final dev.lamplighter.worker.internal.db.ConnectionInfo info;
    private final String databaseUrl;
    private final int nodes;
    private final int schedules;
    private final int ticks;
    private final Path logDir;

    /**
     * @param databaseUrl the database, as in {@code LAMPLIGHTER_DATABASE_URL} (see {@link ProgramDatabase#url()})
     * @param nodes how many node processes
     * @param schedules how many schedules
     * @param ticks how many slots the 1-second schedules run
     * @param logDir where each node's log goes
     */
    public ProcessRace(String databaseUrl, int nodes, int schedules, int ticks, Path logDir) {
        this.info = ProgramDatabase.parse(databaseUrl);
        this.databaseUrl = databaseUrl;
        this.nodes = nodes;
        this.schedules = schedules;
        this.ticks = ticks;
        this.logDir = logDir;
    }

    /**
     * Runs the race and reads its figures.
     *
     * @return the figures
     * @throws IOException when a node cannot start or its log cannot be read
     * @throws InterruptedException if interrupted
     */
    public RaceFigures run() throws IOException, InterruptedException {
        long started = System.nanoTime();
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        try (Database control = Database.connect(info, 3, "race-control")) {
            Jdbi jdbi = control.jdbi();
            jdbi.useHandle(h -> h.createUpdate(RacingSql.DELETE_PREVIOUS).execute());
            LaunchListener launches = new LaunchListener(control);
            launches.start();
            try (InstantWorker instant = InstantWorker.install(jdbi)) {
                for (int i = 1; i <= nodes; i++) {
                    Path log = logDir.resolve("race-process-" + i + ".log");
                    logs.add(log);
                    processes.add(ChildJvm.start(RaceNode.class, Map.of(
                            "LAMPLIGHTER_DATABASE_URL", databaseUrl,
                            "LAMPLIGHTER_NODE_ID", "race-process-" + i,
                            "LAMPLIGHTER_POLL_INTERVAL", "1s",
                            "LAMPLIGHTER_WORKER_THREADS", "0",
                            "LAMPLIGHTER_MIGRATE", "false",
                            "LAMPLIGHTER_RETENTION", "false"), log));
                }
                // The schedules appear once every node polls, all due at once: the insert's NOTIFY
                // wakes every node at the same moment.
                while (jdbi.withHandle(h -> h.createQuery(RacingSql.NODES_UP).mapTo(Long.class).one()) < nodes) {
                    requireAlive(processes);
                    launches.awaitLaunch();
                }
                jdbi.useHandle(h -> h.createUpdate(RacingSql.INSERT_SCHEDULES).bind("count", schedules)
                        .bind("stepMs", STEP.toMillis()).bind("spread", 2).bind("firstRun", (java.time.Instant) null)
                        .bind("launcher", AlwaysLaunch.NAME).bind("jobType", AlwaysLaunch.JOB_TYPE).execute());
                awaitSlots(jdbi, processes, launches);
            } finally {
                for (Process p : processes) {
                    p.destroy();
                }
                for (Process p : processes) {
                    if (!p.waitFor(60, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
                launches.stop();
            }
            List<TickCounts> counts = new ArrayList<>();
            for (Path log : logs) {
                counts.add(lastCounts(log));
            }
            return RaceFigures.read(jdbi, null, STEP.toMillis(), ticks)
                    .describe("processes", nodes, schedules, counts, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** Reads the decision log after each launch until the 1-second schedules have had {@code ticks} slots checked. */
    private void awaitSlots(Jdbi jdbi, List<Process> processes, LaunchListener launches) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120L + 3L * ticks).toNanos();
        while (jdbi.withHandle(h -> h.createQuery(RacingSql.FIRST_SCHEDULE_SLOTS).mapTo(Long.class).one()) < ticks) {
            requireAlive(processes);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The race did not reach " + ticks + " ticks in time: see the logs in " + logDir);
            }
            launches.awaitLaunch();
        }
    }

    private void requireAlive(List<Process> processes) {
        for (Process p : processes) {
            if (!p.isAlive()) {
                throw new IllegalStateException("A race node exited early with " + p.exitValue() + ": see its log in " + logDir);
            }
        }
    }

    private static TickCounts lastCounts(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(TickCounts.LINE_PREFIX)) {
                return TickCounts.parse(lines.get(i));
            }
        }
        throw new IllegalStateException(log + " has no line " + TickCounts.LINE_PREFIX + "...: the node did not stop cleanly");
    }

    /** Hears each transaction that launched race jobs (and wakes a waiter at least once a second). */
    private static final class LaunchListener {
        private final Database database;
        private volatile boolean running = true;
        private Thread thread;
        private volatile RuntimeException failure;
        private long heard;

        LaunchListener(Database database) {
            this.database = database;
        }

        void start() {
            thread = new Thread(this::loop, "race-launch-listener");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            try (Connection listen = database.openDedicatedConnection()) {
                listen.setAutoCommit(true);
                try (Statement st = listen.createStatement()) {
                    st.execute(RacingSql.LISTEN_LAUNCHES);
                }
                PGConnection pg = listen.unwrap(PGConnection.class);
                while (running) {
                    pg.getNotifications(1000);
                    synchronized (this) {
                        heard++;
                        notifyAll();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    failure = new IllegalStateException("The race's launch listener failed: " + e.getMessage(), e);
                }
            }
        }

        /** Waits for the next launch (or a second without one). */
        synchronized void awaitLaunch() throws InterruptedException {
            long seen = heard;
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (heard == seen && running && failure == null && System.nanoTime() < deadline) {
                wait(1000);
            }
            if (failure != null) {
                throw failure;
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(10_000);
            if (failure != null) {
                throw failure;
            }
        }
    }
}
