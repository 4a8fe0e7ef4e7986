package dev.lamplighter.worker.internal.poll;

import dev.lamplighter.Launcher;
import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.internal.LoopErrors;
import dev.lamplighter.worker.internal.WakeSignal;
import dev.lamplighter.worker.internal.config.Durations;
import java.sql.Timestamp;
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
 * node that gets it checks every due schedule, each in its own transaction
 * ({@link ScheduleChecker}); the others skip the tick. The lock is held by the tick's own
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
    private final ScheduleChecker checker;
    private final WakeSignal signal = new WakeSignal();
    private final AtomicLong tickErrors = new AtomicLong();
    private final LoopErrors errors;
    private volatile boolean running;
    private Thread thread;

    public SchedulePoller(Jdbi jdbi, Map<String, Launcher> launchers, PollerSettings settings) {
        this.jdbi = jdbi;
        this.settings = settings;
        this.checker = new ScheduleChecker(jdbi, launchers, settings);
        this.errors = new LoopErrors(log, "Poll loop on node " + settings.nodeId());
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "lamplighter-poller");
        thread.setDaemon(true);
        thread.start();
        log.info("Poll loop started on node {} (every {}, and on NOTIFY)", settings.nodeId(),
                Durations.human(settings.pollInterval()));
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

    /** One tick: take the lock or skip; check every due schedule. */
    public TickResult runOnce() {
        try (Handle lock = jdbi.open()) {
            lock.begin();
            try {
                boolean leader = lock.createQuery(TRY_LOCK).bind("key", settings.advisoryLockKey())
                        .mapTo(Boolean.class).one();
                if (!leader) {
                    log.debug("Tick skipped: another node holds the scheduler lock");
                    return TickResult.follower();
                }
                List<Due> due = lock.createQuery(LIST_DUE)
                        .bind("now", nowParam()).bind("limit", settings.batchLimit())
                        .map((rs, ctx) -> new Due(rs.getString("name"), rs.getTimestamp("slot")))
                        .list();
                log.debug("Tick on node {}: {} schedule(s) due", settings.nodeId(), due.size());
                TickResult result = checkAll(due);
                lock.createUpdate(MARK_LED_TICK).bind("nodeId", settings.nodeId()).bind("now", nowParam()).execute();
                return result;
            } finally {
                lock.commit();
            }
        }
    }

    private TickResult checkAll(List<Due> due) {
        int launched = 0;
        int skipped = 0;
        int failed = 0;
        int notChecked = 0;
        for (Due d : due) {
            CheckOutcome outcome;
            try {
                outcome = checker.check(d.name(), d.slot().toInstant());
            } catch (RuntimeException e) {
                log.error("Schedule '{}' could not be checked; it stays due: {}", d.name(), e.getMessage(), e);
                notChecked++;
                continue;
            }
            switch (outcome) {
                case LAUNCHED -> launched++;
                case SKIPPED -> skipped++;
                case FAILED -> failed++;
                default -> notChecked++;
            }
        }
        return new TickResult(true, launched, skipped, failed, notChecked);
    }

    private void loop() {
        while (running) {
            try {
                TickResult r = runOnce();
                if (r.checked() > 0) {
                    log.debug("Tick: launched={} skipped={} failed={}", r.launched(), r.skipped(), r.failed());
                }
            } catch (RuntimeException e) {
                tickErrors.incrementAndGet();
                errors.failed(e, settings.pollInterval());
                signal.await(settings.pollInterval(), () -> running);
                continue;
            }
            errors.succeeded();
            signal.await(settings.pollInterval(), () -> running);
        }
    }

    private Instant nowParam() {
        return settings.clock() == null ? null : settings.clock().instant();
    }

    private record Due(String name, Timestamp slot) {
    }
}
