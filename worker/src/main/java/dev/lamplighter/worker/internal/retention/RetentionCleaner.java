package dev.lamplighter.worker.internal.retention;

import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.internal.LoopErrors;
import dev.lamplighter.worker.internal.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes finished jobs and decision-log rows past their retention windows: {@code completed}
 * jobs after {@link RetentionSettings#completed()}, {@code failed}, {@code cancelled} and
 * {@code rejected} ones after {@link RetentionSettings#failed()} (both by {@code completed_at}),
 * decision-log rows after {@link RetentionSettings#decisions()} (by {@code decided_at}).
 *
 * <p>Each batch is one short transaction that takes the cleaner's advisory lock
 * ({@code pg_try_advisory_xact_lock}) and deletes at most {@link RetentionSettings#batch()} of the
 * oldest rows of one kind ({@code FOR UPDATE SKIP LOCKED}). A batch shorter than the batch size
 * ends that kind; a run does at most {@link RetentionSettings#maxBatchesPerRun()} batches of each
 * kind, so a large backlog is worked off over several runs and never holds a transaction for
 * long. A node that does not get the lock ends its run: another node is cleaning.
 *
 * <p>One INFO line per run that deleted something; nothing when nothing was deleted; a failed run
 * is reported through {@link LoopErrors} (one line, no stack trace per run) and the loop goes on.
 */
public final class RetentionCleaner {

    private static final Logger log = LoggerFactory.getLogger(RetentionCleaner.class);

    private static final String TRY_LOCK = SqlFiles.load("retention/try_lock");
    private static final String DELETE_JOBS = SqlFiles.load("retention/delete_jobs");
    private static final String DELETE_DECISIONS = SqlFiles.load("retention/delete_decisions");

    /** Longest wait before the first run after start. */
    private static final Duration FIRST_RUN_AFTER = Duration.ofSeconds(30);

    private final Jdbi jdbi;
    private final RetentionSettings settings;
    private final LoopErrors errors;
    private volatile boolean stopping;
    private ScheduledExecutorService executor;

    public RetentionCleaner(Jdbi jdbi, RetentionSettings settings) {
        this.jdbi = jdbi;
        this.settings = settings;
        this.errors = new LoopErrors(log, "Retention cleaner on node " + settings.nodeId());
    }

    public synchronized void start() {
        if (executor != null) {
            return;
        }
        stopping = false;
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lamplighter-retention");
            t.setDaemon(true);
            return t;
        });
        long every = settings.interval().toMillis();
        executor.scheduleWithFixedDelay(this::runSafely, Math.min(every, FIRST_RUN_AFTER.toMillis()), every,
                TimeUnit.MILLISECONDS);
        log.info("Retention cleaner started on node {} (every {}: completed jobs after {}, failed after {}, decisions after {})",
                settings.nodeId(), Durations.human(settings.interval()), shown(settings.completed()),
                shown(settings.failed()), shown(settings.decisions()));
    }

    /** Stops the loop after the batch in progress, if any. Safe to call twice, or before start. */
    public void stop() {
        ScheduledExecutorService e;
        synchronized (this) {
            e = executor;
            executor = null;
            stopping = true;
        }
        if (e == null) {
            return;
        }
        e.shutdown();
        try {
            if (!e.awaitTermination(10, TimeUnit.SECONDS)) {
                e.shutdownNow();
            }
        } catch (InterruptedException ie) {
            e.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One run: each kind in turn (completed, failed, cancelled, rejected jobs, then decision-log
     * rows), batch after batch until a batch is short or the run's limit is reached; stops at once
     * when another node holds the lock.
     */
    public RetentionResult runOnce() {
        long started = System.nanoTime();
        Instant now = settings.clock() == null ? null : settings.clock().instant();   // one "now" per run
        Run run = new Run();
        boolean go = jobs(run, "completed", settings.completed(), now)
                && jobs(run, "failed", settings.failed(), now)
                && jobs(run, "cancelled", settings.failed(), now)
                && jobs(run, "rejected", settings.failed(), now);
        if (go) {
            kind(run, DELETE_DECISIONS, null, settings.decisions(), now);
        }
        RetentionResult result = new RetentionResult(run.lockBusy, run.completed, run.failed, run.decisions,
                run.batches, run.limitReached, (System.nanoTime() - started) / 1_000_000);
        report(result);
        return result;
    }

    private boolean jobs(Run run, String status, Optional<Duration> window, Instant now) {
        return kind(run, DELETE_JOBS, status, window, now);
    }

    /** Deletes one kind batch by batch; false when the lock was busy (the run ends). */
    private boolean kind(Run run, String sql, String status, Optional<Duration> window, Instant now) {
        if (window.isEmpty()) {
            return true;
        }
        for (int i = 0; i < settings.maxBatchesPerRun(); i++) {
            if (stopping) {
                return false;
            }
            Integer deleted = batch(sql, status, window.get(), now);
            if (deleted == null) {
                run.lockBusy = true;
                return false;
            }
            if (deleted > 0) {
                run.batches.add(deleted);
                run.add(status, deleted);
            }
            if (deleted < settings.batch()) {
                return true;
            }
        }
        run.limitReached = true;
        return true;
    }

    /** One transaction: the lock, then one DELETE; null if another node holds the lock. */
    private Integer batch(String sql, String status, Duration window, Instant now) {
        return jdbi.inTransaction(h -> {
            boolean locked = h.createQuery(TRY_LOCK).bind("key", settings.lockKey()).mapTo(Boolean.class).one();
            if (!locked) {
                return null;
            }
            var query = h.createQuery(sql).bind("now", now).bind("retainMs", window.toMillis())
                    .bind("batch", settings.batch());
            if (status != null) {
                query.bind("status", status);
            }
            return query.mapTo(Integer.class).one();
        });
    }

    private void report(RetentionResult r) {
        if (r.deleted() == 0) {
            log.debug("Retention on node {}: nothing to delete{} in {} ms", settings.nodeId(),
                    r.lockBusy() ? " (another node holds the retention lock)" : "", r.elapsedMs());
            return;
        }
        log.info("Retention on node {} deleted completed={} failed={} decisions={} in {} batch(es), {} ms{}",
                settings.nodeId(), r.completed(), r.failed(), r.decisions(), r.batches().size(), r.elapsedMs(),
                r.limitReached() ? "; more remain for the next run (" + settings.maxBatchesPerRun()
                        + " batches of each kind per run)" : r.lockBusy() ? "; another node took over the lock" : "");
    }

    private void runSafely() {
        try {
            runOnce();
            errors.succeeded();
        } catch (RuntimeException e) {
            errors.failed(e, settings.interval());
        }
    }

    /** Whether this loop's last attempt failed because the database could not be reached. */
    public boolean inOutage() {
        return errors.inOutage();
    }

    private static String shown(Optional<Duration> window) {
        return window.map(RetentionCleaner::human).orElse("forever (kept)");
    }

    /** 7 days as "7d", other windows as {@link Durations#human}. */
    static String human(Duration d) {
        return d.toSeconds() % 86_400 == 0 && d.getNano() == 0 && !d.isZero() ? d.toDays() + "d" : Durations.human(d);
    }

    /** Running totals of one run. */
    private static final class Run {
        private final List<Integer> batches = new ArrayList<>();
        private long completed;
        private long failed;
        private long decisions;
        private boolean lockBusy;
        private boolean limitReached;

        private void add(String status, int deleted) {
            if (status == null) {
                decisions += deleted;
            } else if (status.equals("completed")) {
                completed += deleted;
            } else {
                failed += deleted;
            }
        }
    }
}
