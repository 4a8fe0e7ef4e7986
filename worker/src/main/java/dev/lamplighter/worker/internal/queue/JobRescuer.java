package dev.lamplighter.worker.internal.queue;

import dev.lamplighter.worker.internal.Listeners;
import dev.lamplighter.worker.internal.LoopErrors;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes back jobs whose lease expired (their node died or stalled), and jobs whose node is gone
 * from {@code lamplighter.nodes} or not seen within {@link #LIVE_WITHIN} whatever their lease says:
 * to {@code queued} while attempts remain, else {@code failed}. Runs every lease/2 on every node;
 * rows are taken with {@code SKIP LOCKED}, so nodes do not fight over them.
 *
 * <p>The same pass reports queued jobs that no live node can run (no node seen within
 * {@link #LIVE_WITHIN} has a handler for their type): one WARN line per job type, naming the types
 * the live nodes do handle, and one INFO line when a node for it turns up or its jobs are gone.
 * Here, off the claim path, it costs one query per pass, not one per claim.
 */
public final class JobRescuer {

    public static final int BATCH = 500;

    /**
     * A node seen this recently is live (as in {@code lamplighter.queue_status}); the running jobs
     * of a node not seen for longer are rescued whatever their lease says. Ten heartbeats
     * ({@code NodeHeartbeat.INTERVAL}, 30 s).
     */
    public static final Duration LIVE_WITHIN = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(JobRescuer.class);

    private final JobStore store;
    private final WorkerSettings settings;
    private final LoopErrors errors;
    private final Set<String> reportedUnhandled = new HashSet<>();
    private final Listeners listeners;
    private ScheduledExecutorService executor;

    public JobRescuer(Jdbi jdbi, WorkerSettings settings) {
        this(jdbi, settings, new Listeners());
    }

    /** A rescuer that tells {@code listeners} how many jobs of each type it took back. */
    public JobRescuer(Jdbi jdbi, WorkerSettings settings, Listeners listeners) {
        this.listeners = listeners;
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

    /** One pass: takes back expired leases, reports unhandled job types; returns how many jobs it took back. */
    public int runOnce() {
        List<JobStore.Rescued> rescued = store.rescueExpired(BATCH);
        if (!rescued.isEmpty()) {
            long byNode = rescued.stream().filter(r -> "node".equals(r.reason())).count();
            log.info("rescued={} job(s): {} whose lease expired, {} whose node is gone or silent: {}", rescued.size(),
                    rescued.size() - byNode, byNode, rescued);
            if (listeners.active()) {
                Listeners.countBy(rescued, JobStore.Rescued::jobType, listeners::rescued);
            }
        }
        reportUnhandledTypes();
        return rescued.size();
    }

    /** Queued job types that no live node handles; logs each once (WARN) until it is handled again (INFO). */
    public synchronized List<JobStore.UnhandledType> reportUnhandledTypes() {
        List<JobStore.UnhandledType> unhandled = store.unhandledTypes(LIVE_WITHIN);
        Set<String> now = new HashSet<>();
        for (JobStore.UnhandledType u : unhandled) {
            now.add(u.jobType());
            if (reportedUnhandled.add(u.jobType())) {
                log.warn("{} queued job(s) of type '{}' (oldest run_at {}) wait for a handler: no live node handles '{}'; "
                                + "the live nodes handle {}", u.queued(), u.jobType(), u.oldestRunAt(), u.jobType(),
                        u.handledTypes().isEmpty() ? "no job types" : u.handledTypes());
            }
        }
        for (String gone : Set.copyOf(reportedUnhandled)) {
            if (!now.contains(gone)) {
                reportedUnhandled.remove(gone);
                log.info("Queued jobs of type '{}' no longer wait without a handler", gone);
            }
        }
        return unhandled;
    }

    private void runSafely() {
        try {
            runOnce();
            errors.succeeded();
        } catch (RuntimeException e) {
            errors.failed(e, Duration.ofMillis(Math.max(1000, settings.lease().toMillis() / 2)));
        }
    }

    /** Whether this loop's last attempt failed because the database could not be reached. */
    public boolean inOutage() {
        return errors.inOutage();
    }
}
