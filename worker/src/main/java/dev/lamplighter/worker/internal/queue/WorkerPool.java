package dev.lamplighter.worker.internal.queue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamplighter.JobHandler;
import dev.lamplighter.worker.internal.LoopErrors;
import dev.lamplighter.worker.internal.WakeSignal;
import dev.lamplighter.worker.internal.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Claims queued jobs of the types it has handlers for and runs them on {@code threads} threads.
 * Wakes on {@link #wake()} (a NOTIFY on {@code lamplighter_jobs}) and polls every
 * {@code pollInterval} as the fallback. Each claimed job holds a lease that a heartbeat extends
 * every lease/3; a job whose node dies is taken back by the {@link JobRescuer}.
 *
 * <p>{@link #stop()} stops claiming, waits up to the drain timeout for in-flight jobs, then
 * gives the unfinished ones back to the queue.
 */
public final class WorkerPool {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final Map<String, JobHandler> handlers;
    private final WorkerSettings settings;
    private final JobStore store;
    private final Semaphore slots;
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger completed = new AtomicInteger();
    private final WakeSignal signal = new WakeSignal();
    private final LoopErrors errors;
    private volatile boolean running;
    private volatile boolean shuttingDown;
    private ExecutorService executor;
    private ScheduledExecutorService heartbeat;
    private Thread loop;

    public WorkerPool(Jdbi jdbi, Map<String, JobHandler> handlers, WorkerSettings settings) {
        if (settings.threads() < 1) {
            throw new IllegalArgumentException("threads = " + settings.threads() + " is not allowed: expected 1 or more");
        }
        this.handlers = Map.copyOf(handlers);
        this.settings = settings;
        this.store = new JobStore(jdbi, settings.nodeId(), settings.clock());
        this.slots = new Semaphore(settings.threads());
        this.errors = new LoopErrors(log, "Worker loop on node " + settings.nodeId());
    }

    public synchronized void start() {
        if (loop != null) {
            return;
        }
        running = true;
        shuttingDown = false;
        executor = newExecutor();
        heartbeat = Executors.newSingleThreadScheduledExecutor(daemon("lamplighter-lease-heartbeat"));
        long every = Math.max(1, settings.lease().toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::extendLeases, every, every, TimeUnit.MILLISECONDS);
        loop = new Thread(this::loop, "lamplighter-worker-loop");
        loop.setDaemon(true);
        loop.start();
        log.info("Worker pool started on node {}: {} thread(s) for job types {}", settings.nodeId(), settings.threads(),
                new java.util.TreeSet<>(handlers.keySet()));
    }

    /** Claim at once (a job was enqueued). */
    public void wake() {
        signal.wake();
    }

    /**
     * Claims one batch (up to the free threads) and runs it to completion on the calling thread's
     * behalf. Returns how many jobs ran. Tests call it directly; do not mix with {@link #start()}.
     */
    public int runOnce() {
        ExecutorService own = executor != null ? executor : newExecutor();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (ClaimedJob job : claim(settings.threads())) {
                running.add(own.submit(() -> execute(job)));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    log.error("Worker thread failed outside a job: {}", e.getCause().toString(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return running.size();
        } finally {
            if (own != executor) {
                own.shutdown();
            }
        }
    }

    /** Jobs completed since start. */
    public int completedCount() {
        return completed.get();
    }

    /** Stops claiming, drains in-flight jobs for a bounded time, releases the rest. Idempotent. */
    public void stop() {
        Thread t;
        synchronized (this) {
            t = loop;
            loop = null;
            if (t == null) {
                return;
            }
            running = false;
            shuttingDown = true;
        }
        wake();
        join(t);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Worker pool on node {}: {} job(s) still running after {}; releasing them", settings.nodeId(),
                        inFlight.size(), Durations.human(settings.drainTimeout()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Long jobId : List.copyOf(inFlight)) {
            if (store.release(jobId)) {
                log.info("Job {} released back to the queue at shutdown", jobId);
            }
        }
        executor.shutdownNow();
        heartbeat.shutdownNow();
        log.info("Worker pool stopped on node {}", settings.nodeId());
    }

    private void loop() {
        while (running) {
            boolean mayHaveMore = false;
            try {
                int free = slots.availablePermits();
                if (free > 0) {
                    List<ClaimedJob> jobs = claim(free);
                    for (ClaimedJob job : jobs) {
                        slots.acquireUninterruptibly();
                        executor.submit(() -> {
                            try {
                                execute(job);
                            } finally {
                                slots.release();
                                wake();
                            }
                        });
                    }
                    mayHaveMore = jobs.size() == free;
                }
                errors.succeeded();
            } catch (RuntimeException e) {
                errors.failed(e, settings.pollInterval());
            }
            if (!mayHaveMore) {
                signal.await(settings.pollInterval(), () -> running);
            }
        }
    }

    private List<ClaimedJob> claim(int limit) {
        List<ClaimedJob> jobs = store.claim(handlers.keySet(), limit, settings.lease());
        jobs.forEach(j -> inFlight.add(j.jobId()));
        if (!jobs.isEmpty()) {
            log.debug("Claimed {} job(s) on node {}", jobs.size(), settings.nodeId());
        }
        return jobs;
    }

    private void execute(ClaimedJob job) {
        MDC.put("job", String.valueOf(job.jobId()));
        MDC.put("node", settings.nodeId());
        long started = System.nanoTime();
        try {
            JobHandler handler = handlers.get(job.jobType());
            Map<String, Object> result;
            try {
                Map<String, Object> payload = JSON.readValue(job.payloadJson(), MAP);
                result = handler.run(new RunningJob(job, payload == null ? Map.of() : payload, () -> shuttingDown));
                if (result == null) {
                    throw new IllegalStateException(handler.getClass().getName()
                            + ".run returned null: expected a result map (Map.of() for none)");
                }
                String json = JSON.writeValueAsString(result);
                long ms = (System.nanoTime() - started) / 1_000_000;
                if (store.complete(job.jobId(), json)) {
                    completed.incrementAndGet();
                    log.info("Job {} ({}) completed in {} ms", job.jobId(), job.jobType(), ms);
                } else {
                    log.warn("Job {} ({}) finished after its lease was taken back; its result is dropped",
                            job.jobId(), job.jobType());
                }
            } catch (Exception e) {
                fail(job, e);
            }
        } catch (RuntimeException e) {
            log.error("Job {} ({}) attempt {}: could not record its outcome; the rescuer will take it back after its lease: {}",
                    job.jobId(), job.jobType(), job.attempt(), e.getMessage(), e);
        } finally {
            inFlight.remove(job.jobId());
            MDC.remove("job");
            MDC.remove("node");
        }
    }

    private void fail(ClaimedJob job, Exception e) {
        String error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        Duration retryIn = Backoff.delay(settings.retryBase(), settings.retryMax(), job.attempt(), ThreadLocalRandom.current());
        Optional<JobStore.FailResult> outcome = store.failAttempt(job.jobId(), error, retryIn);
        if (outcome.isEmpty()) {
            log.warn("Job {} ({}) attempt {} failed after its lease was taken back: {}", job.jobId(), job.jobType(),
                    job.attempt(), error);
        } else if ("failed".equals(outcome.get().status())) {
            log.error("Job {} ({}) failed after {} attempt(s): {}", job.jobId(), job.jobType(), job.attempt(), error, e);
        } else {
            log.warn("Job {} ({}) attempt {}/{} failed, retrying in {}: {}", job.jobId(), job.jobType(), job.attempt(),
                    job.maxAttempts(), Durations.human(retryIn), error);
        }
    }

    private void extendLeases() {
        try {
            int n = store.extendLeases(List.copyOf(inFlight), settings.lease());
            log.debug("Extended {} lease(s) on node {}", n, settings.nodeId());
        } catch (RuntimeException e) {
            log.warn("Could not extend job leases on node {}: {}", settings.nodeId(), e.getMessage());
        }
    }

    private ExecutorService newExecutor() {
        return Executors.newFixedThreadPool(settings.threads(), daemon("lamplighter-worker"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static void join(Thread t) {
        try {
            t.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
