package dev.lamplighter.worker.internal.queue;

import dev.lamplighter.worker.internal.LoopErrors;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes back jobs whose lease expired (their node died or stalled): to {@code queued} while
 * attempts remain, else {@code failed}. Runs every lease/2 on every node; rows are taken with
 * {@code SKIP LOCKED}, so nodes do not fight over them.
 */
public final class JobRescuer {

    public static final int BATCH = 500;

    private static final Logger log = LoggerFactory.getLogger(JobRescuer.class);

    private final JobStore store;
    private final WorkerSettings settings;
    private final LoopErrors errors;
    private ScheduledExecutorService executor;

    public JobRescuer(Jdbi jdbi, WorkerSettings settings) {
        this.store = new JobStore(jdbi, settings.nodeId(), settings.clock());
        this.settings = settings;
        this.errors = new LoopErrors(log, "Rescuer on node " + settings.nodeId());
    }

    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lamplighter-rescuer");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1000, settings.lease().toMillis() / 2);
        executor.scheduleWithFixedDelay(this::runSafely, every, every, TimeUnit.MILLISECONDS);
    }

    /** Safe to call twice, or before start. */
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    /** One pass; returns how many jobs it took back. */
    public int runOnce() {
        List<JobStore.Rescued> rescued = store.rescueExpired(BATCH);
        if (!rescued.isEmpty()) {
            log.info("rescued={} job(s) whose lease expired: {}", rescued.size(), rescued);
        }
        return rescued.size();
    }

    private void runSafely() {
        try {
            runOnce();
            errors.succeeded();
        } catch (RuntimeException e) {
            errors.failed(e, Duration.ofMillis(Math.max(1000, settings.lease().toMillis() / 2)));
        }
    }
}
