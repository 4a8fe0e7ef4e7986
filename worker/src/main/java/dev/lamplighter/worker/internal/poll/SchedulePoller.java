package dev.lamplighter.worker.internal.poll;

import dev.lamplighter.Launcher;
import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.events.TickEvent;
import dev.lamplighter.worker.internal.Listeners;
import dev.lamplighter.worker.internal.LoopErrors;
import dev.lamplighter.worker.internal.WakeSignal;
import dev.lamplighter.worker.internal.config.Durations;
import dev.lamplighter.worker.internal.node.ClusterState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop. Every poll interval, and at once when {@link #wake()} is called (a NOTIFY on
 * {@code lamplighter_schedules}), it tries the tick lock ({@code pg_try_advisory_xact_lock}); the
 * node that gets it checks the due schedules it can check, in chunks of
 * {@link PollerSettings#chunkSize()} per transaction with a savepoint per schedule ({@link ChunkChecker};
 * a chunk that fails as a whole is checked again one schedule per transaction, {@link ScheduleChecker}), at most {@link PollerSettings#batchLimit()} per tick (a full tick is
 * followed by the next at once); the others skip the tick. Rows this node cannot check (launcher
 * or capability missing) are left out of the batch and reported once ({@link UncheckableReporter}),
 * so they never crowd out the rest; rows whose timetable SQL changed get a new next_run first
 * ({@link Rescheduler}). The lock is held by the tick's own
 * transaction for the whole tick, so it is released when the tick ends or the node dies.
 *
 * <p>Thread-safe. {@link #runOnce()} may be called directly (tests do); the loop thread only calls it.
 */
public final class SchedulePoller {

    private static final Logger log = LoggerFactory.getLogger(SchedulePoller.class);

    private static final String TRY_LOCK = SqlFiles.load("scheduler/try_lock");
    private static final String LIST_DUE = SqlFiles.load("scheduled_jobs/list_due");
    private static final String MARK_LED_TICK = SqlFiles.load("nodes/mark_led_tick");

    private final Jdbi jdbi;
    private final PollerSettings settings;
    private final ChunkChecker checker;
    private final Rescheduler rescheduler;
    private final UncheckableReporter reporter;
    private final String[] launcherNames;
    private final String[] capabilities;
    private final WakeSignal signal = new WakeSignal();
    private final AtomicLong tickErrors = new AtomicLong();
    private final LoopErrors errors;
    private final Listeners listeners;
    private volatile boolean running;
    private volatile Ticked lastTick;
    /** The cluster's pause and this node's drain, cached; null: never paused (tests that build a bare poller). */
    private volatile ClusterState cluster;
    private Thread thread;

    /** When this node's loop last ended a tick (its clock: the test clock, else the system's), and whether it led it. */
    public record Ticked(Instant at, boolean led) {
    }

    public SchedulePoller(Jdbi jdbi, Map<String, Launcher> launchers, PollerSettings settings) {
        this(jdbi, launchers, settings, new Listeners());
    }

    /** A poll loop that tells {@code listeners} about its ticks and checks once they committed. */
    public SchedulePoller(Jdbi jdbi, Map<String, Launcher> launchers, PollerSettings settings, Listeners listeners) {
        this.listeners = listeners;
        this.jdbi = jdbi;
        this.settings = settings;
        this.launcherNames = launchers.keySet().toArray(String[]::new);
        this.checker = new ChunkChecker(jdbi, new ScheduleChecker(jdbi, launchers, settings, listeners), launcherNames,
                settings);
        this.rescheduler = new Rescheduler(jdbi, settings.batchLimit());
        this.reporter = new UncheckableReporter(jdbi, launchers.keySet(), settings);
        this.capabilities = settings.capabilities().toArray(String[]::new);
        this.errors = new LoopErrors(log, "Poll loop on node " + settings.nodeId());
    }

    /**
     * Obeys the cluster's pause and this node's drain: a drained node does not take the tick lock
     * (another node leads); while the cluster is paused the node that takes the lock records that
     * it led the tick (so its loop shows alive) and checks nothing. Call before {@link #start()}.
     */
    public void obey(ClusterState cluster) {
        this.cluster = cluster;
    }

    /** Starts the loop, ticking every poll interval only (nothing calls {@link #wake()} on a NOTIFY). */
    public void start() {
        start(false);
    }

    /**
     * Starts the loop. Calling it again does nothing.
     *
     * @param onNotify whether a NOTIFY on {@code lamplighter_schedules} calls {@link #wake()} (LISTEN
     *     is on); only the start line says so
     */
    public synchronized void start(boolean onNotify) {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "lamplighter-poller");
        thread.setDaemon(true);
        thread.start();
        log.info("Poll loop started on node {} (every {}{})", settings.nodeId(), Durations.human(settings.pollInterval()),
                onNotify ? ", and on NOTIFY" : " only, not woken by NOTIFY: LISTEN is off");
    }

    /** Stops the loop and waits for the current tick to end. Safe to call twice, or before start. */
    public void stop() {
        Thread t;
        synchronized (this) {
            t = thread;
            thread = null;
            running = false;
        }
        if (t == null) {
            return;
        }
        wake();
        try {
            t.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("Poll loop stopped on node {}", settings.nodeId());
    }

    /** Asks for a tick now (a schedule changed). */
    public void wake() {
        signal.wake();
    }

    /** Failed ticks since start (each was logged); the loop went on after each. */
    public long tickErrors() {
        return tickErrors.get();
    }

    /**
     * One tick: take the lock or skip; recompute next_run of schedules whose timetable SQL changed;
     * check the due schedules this node can check (at most the batch limit, oldest first); report,
     * once, those it cannot check.
     */
    public TickResult runOnce() {
        if (!listeners.active()) {
            return ticked(tick(null));
        }
        TickLag lag = new TickLag();
        TickResult r = ticked(tick(lag));
        listeners.tickEnded(new TickEvent(settings.nodeId(), r.leader(), r.launched(), r.skipped(), r.failed(),
                java.time.Duration.ofNanos((long) (r.durationMs() * 1_000_000)), lag.lag()));
        return r;
    }

    private TickResult ticked(TickResult r) {
        lastTick = new Ticked(TickStamp.now(settings.clock()), r.leader());
        return r;
    }

    /** The last tick this loop ended (a tick that failed is not one), or null before the first. */
    public Ticked lastTick() {
        return lastTick;
    }

    /** The tick; its lock's transaction has committed when it returns. */
    private TickResult tick(TickLag lag) {
        long started = System.nanoTime();
        ClusterState gate = cluster;
        if (gate != null && gate.drainRequested()) {
            log.debug("Tick skipped: node {} is drained", settings.nodeId());
            return TickResult.follower(ScheduleChecker.elapsedMs(started));
        }
        try (Handle lock = jdbi.open()) {
            lock.begin();
            try {
                boolean leader = lock.createQuery(TRY_LOCK).bind("key", settings.advisoryLockKey())
                        .mapTo(Boolean.class).one();
                if (!leader) {
                    log.debug("Tick skipped: another node holds the scheduler lock");
                    return TickResult.follower(ScheduleChecker.elapsedMs(started));
                }
                if (gate != null && gate.paused()) {
                    // Paused: nothing is checked and the decision log gets nothing; the loop shows alive.
                    lock.createUpdate(MARK_LED_TICK).bind("nodeId", settings.nodeId()).bind("now", nowParam()).execute();
                    log.debug("Tick on node {}: the cluster is paused, no schedule checked", settings.nodeId());
                    return new TickResult(true, 0, 0, 0, 0, false, 0, ScheduleChecker.elapsedMs(started));
                }
                int rescheduled = sidePass("recomputing next_run after timetable changes",
                        () -> rescheduler.rescheduleChanged(nowParam()));
                List<ChunkChecker.Due> due = lock.createQuery(LIST_DUE)
                        .bind("now", nowParam()).bind("limit", settings.batchLimit())
                        .bind("launchers", launcherNames).bind("capabilities", capabilities)
                        .map((rs, ctx) -> new ChunkChecker.Due(rs.getString("name"), DueSchedule.instant(rs, "slot")))
                        .list();
                log.debug("Tick on node {}: {} schedule(s) due", settings.nodeId(), due.size());
                int[] counts = new int[4];
                checker.checkAll(due, counts, lag);
                int reported = sidePass("reporting schedules this node cannot check",
                        () -> reporter.reportOnce(nowParam()));
                lock.createUpdate(MARK_LED_TICK).bind("nodeId", settings.nodeId()).bind("now", nowParam()).execute();
                int checked = counts[0] + counts[1] + counts[2];
                return new TickResult(true, counts[0], counts[1], counts[2], counts[3] + reported,
                        due.size() >= settings.batchLimit() && checked > 0, rescheduled,
                        ScheduleChecker.elapsedMs(started));
            } finally {
                lock.commit();
            }
        }
    }

    /**
     * A pass besides the checks; its failure is logged in one line and does not stop the checks. A
     * lost connection is not: if the database is gone, the tick fails next and the loop says so once;
     * if only that connection was, the pass runs again at the next tick.
     */
    private int sidePass(String what, java.util.function.IntSupplier pass) {
        try {
            return pass.getAsInt();
        } catch (RuntimeException e) {
            if (LoopErrors.isConnectionError(e)) {
                log.debug("Poll loop on node {}: {} lost its connection", settings.nodeId(), what, e);
                return 0;
            }
            log.warn("Poll loop on node {}: {} failed: {}", settings.nodeId(), what, CheckRecorder.describe(e));
            log.debug("Poll loop side pass failed", e);
            return 0;
        }
    }

    private void loop() {
        TickLog tickLog = new TickLog(settings.nodeId(), TickLog.DEFAULT_IDLE_SUMMARY);
        while (running) {
            TickResult r;
            try {
                r = runOnce();
            } catch (RuntimeException e) {
                tickErrors.incrementAndGet();
                errors.failed(e, settings.pollInterval());
                signal.await(settings.pollInterval(), () -> running);
                continue;
            }
            errors.succeeded();
            String line = tickLog.afterTick(r, System.nanoTime());
            if (line != null) {
                log.info(line);
            }
            if (!r.moreDue()) {
                signal.await(settings.pollInterval(), () -> running);
            }
        }
    }

    private Instant nowParam() {
        return settings.clock() == null ? null : settings.clock().instant();
    }

    /** Whether this loop's last attempt failed because the database could not be reached. */
    public boolean inOutage() {
        return errors.inOutage();
    }
}
