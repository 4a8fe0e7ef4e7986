package dev.lamplighter.chaos.racing;

import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.internal.db.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/**
 * The race in one JVM: {@code nodes} Lamplighter nodes, each on a connection pool of its own, over
 * {@code schedules} schedules, with time driven by one clock that the caller moves. Each tick moves
 * the clock one interval (every schedule falls due once), wakes every node with a NOTIFY, and waits
 * until every node has ended a tick and no schedule is due any more. The launched jobs are
 * completed as they are stored ({@link InstantWorker}), so that the one-instance rule never holds a
 * slot back.
 */
public final class InProcessRace {

    /** The schedules' interval, and how far the clock moves per tick. */
    public static final Duration STEP = Duration.ofMinutes(1);

    /** How long a tick may take before the race gives up on it (a hang, not a slow machine). */
    static final Duration TICK_TIMEOUT = Duration.ofMinutes(2);

    private final dev.lamplighter.worker.internal.db.ConnectionInfo info;
    private final int nodes;
    private final int schedules;
    private final int ticks;
    private final Clock clock;
    private final Consumer<Duration> moveClock;

    /**
     * @param databaseUrl the database, as in {@code LAMPLIGHTER_DATABASE_URL} (see {@link ProgramDatabase#url()})
     * @param nodes how many nodes
     * @param schedules how many schedules
     * @param ticks how many times the clock moves
     * @param clock the one clock of every node and of the race's own statements
     * @param moveClock moves {@code clock} forward by the given duration
     */
    public InProcessRace(String databaseUrl, int nodes, int schedules, int ticks, Clock clock, Consumer<Duration> moveClock) {
        this.info = ProgramDatabase.parse(databaseUrl);
        this.nodes = nodes;
        this.schedules = schedules;
        this.ticks = ticks;
        this.clock = clock;
        this.moveClock = moveClock;
    }

    /**
     * Runs the race and reads its figures.
     *
     * @return the figures
     * @throws InterruptedException if interrupted while waiting for a tick
     */
    public RaceFigures run() throws InterruptedException {
        long started = System.nanoTime();
        Object monitor = new Object();
        List<Database> pools = new ArrayList<>();
        List<Lamplighter> running = new ArrayList<>();
        List<TickCounter> counters = new ArrayList<>();
        try (Database control = Database.connect(info, 2, "race-control")) {
            Jdbi jdbi = control.jdbi();
            Instant firstSlot = clock.instant().plus(STEP);
            jdbi.useHandle(h -> {
                h.createUpdate(RacingSql.DELETE_PREVIOUS).execute();
                h.createUpdate(RacingSql.INSERT_SCHEDULES).bind("count", schedules).bind("stepMs", STEP.toMillis())
                        .bind("spread", 1).bind("firstRun", firstSlot).bind("launcher", AlwaysLaunch.NAME)
                        .bind("jobType", AlwaysLaunch.JOB_TYPE).execute();
            });
            try (InstantWorker instant = InstantWorker.install(jdbi)) {
                for (int i = 1; i <= nodes; i++) {
                    Database pool = Database.connect(info, 4, "race-node-" + i);
                    pools.add(pool);
                    TickCounter counter = new TickCounter(monitor);
                    counters.add(counter);
                    running.add(Lamplighter.builder(pool.dataSource())
                            .config(LamplighterConfig.builder().nodeId("race-node-" + i).migrate(false).workerThreads(0)
                                    .retention(false).pollInterval(LamplighterConfig.MAX_POLL_INTERVAL).clock(clock).build())
                            .launcher(AlwaysLaunch.launcher())
                            .listener(counter)
                            .start());
                }
                // Each node ticks once as it starts; nothing is due yet.
                awaitTicks(jdbi, monitor, counters, new long[counters.size()], "start");
                for (int t = 1; t <= ticks; t++) {
                    long[] marks = marks(counters);
                    moveClock.accept(STEP);
                    jdbi.useHandle(h -> h.createQuery(RacingSql.NOTIFY_TICK).mapTo(String.class).one());
                    awaitTicks(jdbi, monitor, counters, marks, "tick " + t);
                }
            } finally {
                running.forEach(Lamplighter::close);
                pools.forEach(Database::close);
            }
            List<TickCounts> counts = new ArrayList<>();
            for (int i = 0; i < counters.size(); i++) {
                counts.add(TickCounts.of("race-node-" + (i + 1), counters.get(i)));
            }
            return RaceFigures.read(jdbi, firstSlot, STEP.toMillis(), ticks)
                    .describe("in-process", nodes, schedules, counts, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private static long[] marks(List<TickCounter> counters) {
        return counters.stream().mapToLong(TickCounter::ended).toArray();
    }

    /** Waits until every node has ended a tick since {@code marks} and nothing is due at the clock's time. */
    private void awaitTicks(Jdbi jdbi, Object monitor, List<TickCounter> counters, long[] marks, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TICK_TIMEOUT.toNanos();
        synchronized (monitor) {
            while (!allTicked(counters, marks)) {
                waitUntil(monitor, deadline, what + ": not every node ended a tick");
            }
        }
        while (true) {
            long seen = total(counters);
            long due = jdbi.withHandle(h -> h.createQuery(RacingSql.DUE_COUNT).bind("now", clock.instant())
                    .mapTo(Long.class).one());
            if (due == 0) {
                return;
            }
            // The leading node is still working through the due schedules: wait for its next tick.
            synchronized (monitor) {
                while (total(counters) == seen) {
                    waitUntil(monitor, deadline, what + ": " + due + " schedule(s) still due and no node ticking");
                }
            }
        }
    }

    private static void waitUntil(Object monitor, long deadline, String failure) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new IllegalStateException("Race " + failure + " after " + TICK_TIMEOUT);
        }
        monitor.wait(Math.max(1, left / 1_000_000));
    }

    private static long total(List<TickCounter> counters) {
        return counters.stream().mapToLong(TickCounter::ended).sum();
    }

    private static boolean allTicked(List<TickCounter> counters, long[] marks) {
        for (int i = 0; i < marks.length; i++) {
            if (counters.get(i).ended() <= marks[i]) {
                return false;
            }
        }
        return true;
    }
}
