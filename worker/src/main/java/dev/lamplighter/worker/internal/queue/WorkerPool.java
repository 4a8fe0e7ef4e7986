package dev.lamplighter.worker.internal.queue;

import dev.lamplighter.JobHandler;
import dev.lamplighter.worker.internal.Listeners;
import dev.lamplighter.worker.internal.LoopErrors;
import dev.lamplighter.worker.internal.WakeSignal;
import dev.lamplighter.worker.internal.config.Durations;
import dev.lamplighter.worker.internal.node.ClusterState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims queued jobs of the types it has handlers for and runs up to {@code threads} of them at
 * once. One claim takes jobs for the free threads and for a local buffer of {@code prefetch}
 * claimed-but-not-started attempts, from which a thread that frees takes its next job without a
 * round trip; the next claim is made once the buffer runs low. Completions are written in batches
 * by the {@link CompletionBatcher}, those of limited types at once. Wakes on {@link #wake()} (a NOTIFY on
 * {@code lamplighter_jobs}), when a slot frees (of a limited type: once its outcome is written), and
 * when the next queued job of its types becomes due (the database says how long that is, so a
 * node whose clock is off still wakes on time); polls every {@code pollInterval} as the fallback.
 * Each claimed attempt holds a lease that a heartbeat extends every lease/3 while its handler runs
 * within its time limit; a job whose node dies or whose handler hangs is taken back by the
 * {@link JobRescuer}.
 *
 * <p>Starting attempts on the pool's threads, back to back on one thread while prefetched ones
 * wait: {@link Dispatcher}. Running an attempt and its time limit: {@link AttemptRunner}. Recording its outcome, apart
 * from running it, with retries while the lease holds: {@link OutcomeWriter}.
 *
 * <p>How many jobs it keeps prefetched follows how long its jobs take ({@link PrefetchSizer}): what
 * its threads can start within a short lookahead, at most {@code prefetch}.
 *
 * <p>{@link #stop()} stops claiming and starting prefetched attempts, waits up to the drain timeout
 * for the running ones, writes the outcomes that wait for their batch, then gives the prefetched
 * and the unfinished running attempts back to the queue in one statement (attempt not counted).
 */
public final class WorkerPool {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    private final Map<String, JobHandler> handlers;
    private final WorkerSettings settings;
    private final JobStore store;
    private final TypeLimits limits;
    private final AttemptRunner runner;
    private final CompletionBatcher batcher;
    private final OutcomeStore outcomes;
    /** How many jobs to keep prefetched, from how long the jobs take. */
    private final PrefetchSizer sizer;
    /** The loop claims again once fewer than this many jobs are prefetched; a freed slot wakes it then. */
    private volatile int refillBelow = 1;
    /** Starts claimed attempts on the pool's threads; prefetched ones wait there for a free slot (leases extended like running ones'). */
    private final Dispatcher dispatcher;
    private final Set<Attempt> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicLong ended = new AtomicLong();
    private final WorkerSummary summary;
    private final WakeSignal signal = new WakeSignal();
    private final LoopErrors errors;
    private final Listeners listeners;
    private volatile boolean running;
    private volatile boolean shuttingDown;
    /** The cluster's pause and this node's drain, cached (no statement per claim); null: always open. */
    private volatile ClusterState cluster;
    private ExecutorService executor;
    private ScheduledExecutorService heartbeat;
    private Thread loop;

    public WorkerPool(Jdbi jdbi, Map<String, JobHandler> handlers, WorkerSettings settings) {
        this(jdbi, handlers, settings, System::nanoTime);
    }

    /**
     * A pool whose handlers' run times, from which it sizes its prefetch, are measured on
     * {@code durationClock} (elapsed nanoseconds; {@code System::nanoTime} in production, a test's
     * own source in tests). Leases and time limits stay on the JVM's monotonic clock.
     */
    public WorkerPool(Jdbi jdbi, Map<String, JobHandler> handlers, WorkerSettings settings, LongSupplier durationClock) {
        this(jdbi, handlers, settings, durationClock, new Listeners());
    }

    /** As above, telling {@code listeners} about claims and about each attempt whose outcome it wrote. */
    public WorkerPool(Jdbi jdbi, Map<String, JobHandler> handlers, WorkerSettings settings, LongSupplier durationClock,
                      Listeners listeners) {
        this.listeners = listeners;
        if (settings.threads() < 1) {
            throw new IllegalArgumentException("threads = " + settings.threads() + " is not allowed: expected 1 or more");
        }
        this.handlers = Map.copyOf(handlers);
        this.settings = settings;
        this.store = new JobStore(jdbi, settings.nodeId(), settings.clock());
        this.limits = new TypeLimits(store, this.handlers.keySet(), settings.nodeId());
        OutcomeWriter writer = new OutcomeWriter(store, settings, completed, System::nanoTime, () -> shuttingDown);
        this.outcomes = new OutcomeStore(jdbi, settings.nodeId(), settings.clock());
        this.batcher = new CompletionBatcher(outcomes, writer, completed, settings.completionFlush(), System::nanoTime,
                settings.nodeId(), signal::wake, limits::isLimited);
        this.sizer = new PrefetchSizer(settings.threads(), settings.prefetch());
        this.runner = new AttemptRunner(this.handlers, settings, writer, batcher, () -> shuttingDown, durationClock,
                sizer::ran);
        this.dispatcher = new Dispatcher(settings.threads(), runner, () -> running && !draining(), this::releaseUnstarted);
        this.errors = new LoopErrors(log, "Worker loop on node " + settings.nodeId());
        this.summary = new WorkerSummary(settings.nodeId(), WorkerSummary.DEFAULT_EVERY);

        AttemptLedger ledger = new AttemptLedger(listeners);
        outcomes.ledger(ledger);
        runner.ledger(ledger);
    }

    public synchronized void start() {
        if (loop != null) {
            return;
        }
        running = true;
        shuttingDown = false;
        executor = newExecutor();
        dispatcher.runOn(executor);
        heartbeat = Executors.newSingleThreadScheduledExecutor(daemon("lamplighter-lease-heartbeat"));
        long every = Math.max(1, settings.lease().toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::extendLeases, every, every, TimeUnit.MILLISECONDS);
        heartbeat.scheduleWithFixedDelay(this::logSummary, 0, 1, TimeUnit.SECONDS);
        loop = new Thread(this::loop, "lamplighter-worker-loop");
        loop.setDaemon(true);
        loop.start();
        log.info("Worker pool started on node {}: {} thread(s) and up to {} prefetched job(s) for job types {}, job timeout {}, "
                + "completions written every {}", settings.nodeId(), settings.threads(), settings.prefetch(),
                new TreeSet<>(handlers.keySet()), Durations.human(settings.jobTimeout()),
                Durations.human(settings.completionFlush()));
    }

    /**
     * Obeys the cluster's pause and this node's drain: no claim while paused or drained (the
     * running jobs finish); a drain also gives the prefetched jobs back at once, and the pool says
     * when it runs nothing ({@link ClusterState#checkDrained()}). Call before {@link #start()}.
     */
    public void obey(ClusterState cluster) {
        this.cluster = cluster;
        cluster.drainWith(this::releasePrefetched, this::idle);
        cluster.onOpen(this::wake);
    }

    /** Whether no attempt is claimed or running on this pool. */
    public boolean idle() {
        return inFlight.isEmpty() && dispatcher.nothingPrefetched();
    }

    /** Gives the prefetched (claimed, not started) attempts back to the queue: the node drains. */
    private void releasePrefetched() {
        StopRelease.releaseAll(outcomes, settings.nodeId(), dispatcher.takeUnstarted(), List.of(), "on drain");
    }

    /** Runs a claim unless the cluster is paused or this node drained (then null); see {@link ClusterState#whileOpen}. */
    private <T> T ifOpen(java.util.function.Supplier<T> claim) {
        ClusterState gate = cluster;
        return gate == null ? claim.get() : gate.whileOpen(claim);
    }

    /** Claim at once (a job was enqueued). */
    public void wake() {
        signal.wake();
    }

    /**
     * Claims one batch (up to {@code threads}) and runs it until every attempt's outcome is
     * recorded (or its handler abandoned after a timeout). Returns how many jobs it claimed. Tests
     * call it directly; do not mix with {@link #start()}.
     */
    public int runOnce() {
        ExecutorService own = executor != null ? executor : newExecutor();
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            List<Attempt> claimed = ifOpen(() -> claim(settings.threads(), false));
            if (claimed == null) {
                return 0;   // paused or drained
            }
            for (Attempt attempt : claimed) {
                done.add(attempt.done());
                own.execute(() -> runner.run(attempt, own));
            }
            for (CompletableFuture<Void> f : done) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    log.error("Worker thread failed outside a job: {}", e.getCause().toString(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return done.size();
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

    /** Handler threads that ignored their timeout's interrupt and have not returned yet. */
    public int abandonedThreads() {
        return runner.abandonedThreads();
    }

    /**
     * Stops claiming, drains in-flight jobs for a bounded time, writes the outcomes that wait, then
     * gives back what did not finish (the prefetched attempts that never started and the running
     * ones that outlived the drain) in one statement, attempt not counted. Idempotent.
     */
    public void stop() {
        Thread t;
        synchronized (this) {
            t = loop;
            loop = null;
            if (t == null) {
                batcher.stop(settings.drainTimeout());
                return;
            }
            running = false;
            shuttingDown = true;
        }
        wake();
        join(t);
        // Not started from now on; given back with the running ones that do not finish in time.
        List<Attempt> unstarted = dispatcher.takeUnstarted();
        executor.shutdown();
        Set<Attempt> notStarted = Set.copyOf(unstarted);
        List<Attempt> draining = inFlight.stream().filter(a -> !notStarted.contains(a)).toList();
        try {
            CompletableFuture.allOf(draining.stream().map(Attempt::done).toArray(CompletableFuture[]::new))
                    .get(settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("Worker pool on node {}: {} job(s) still running after {}; releasing them", settings.nodeId(),
                    draining.stream().filter(Attempt::unfinished).count(), Durations.human(settings.drainTimeout()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.error("Worker pool on node {}: draining failed: {}", settings.nodeId(), e.getCause().toString());
        }
        // Outcomes waiting for their batch are written before anything unfinished is released.
        batcher.stop(settings.drainTimeout());
        List<Attempt> stillRunning = inFlight.stream().filter(a -> !notStarted.contains(a) && a.unfinished()).toList();
        StopRelease.releaseAll(outcomes, settings.nodeId(), unstarted, stillRunning, "at shutdown");
        executor.shutdownNow();
        heartbeat.shutdownNow();
        runner.stop();
        log.info("Worker pool stopped on node {}", settings.nodeId());
    }

    private boolean releaseUnstarted(Attempt attempt) {
        try {
            return release(attempt);
        } finally {
            attempt.releasedUnstarted();
        }
    }

    private boolean release(Attempt attempt) {
        try {
            return store.release(attempt.job().jobId(), attempt.job().attempt());
        } catch (RuntimeException e) {
            log.warn("Could not release job {} at shutdown; the rescuer will take it back after its lease: {}",
                    attempt.job().jobId(), LoopErrors.describe(e));
            return false;
        }
    }

    private void loop() {
        while (running) {
            boolean mayHaveMore = false;
            Duration wait = settings.pollInterval();
            try {
                // Claim in batches: not for every slot that frees, but once the prefetched jobs run
                // low. How many to keep comes from how long the jobs take (PrefetchSizer).
                int capacity = settings.threads() + sizer.prefetch();
                int refillAt = Math.max(1, capacity / 2);
                refillBelow = Math.max(1, capacity - refillAt - settings.threads() + 1);
                int want = capacity - dispatcher.busy() - dispatcher.prefetched();
                if (want > 0 && (want >= refillAt || dispatcher.nothingPrefetched())) {
                    // Asked before the claim, not after: a job that becomes due between the two
                    // statements is then either claimed or waited for. Asked after, it would be
                    // neither (not due at the claim, no longer "future" for the question), and the
                    // loop would sleep a whole poll interval.
                    Duration pollWait = wait;
                    Duration[] nextDue = new Duration[1];
                    List<Attempt> attempts = ifOpen(() -> {
                        nextDue[0] = untilNextDue(pollWait);
                        return claim(want, true);
                    });
                    if (attempts == null) {
                        attempts = List.of();   // paused or drained: sleep until woken (resume, undrain) or the poll interval
                        nextDue[0] = pollWait;
                    }
                    dispatcher.offer(attempts);
                    if (draining()) {
                        releasePrefetched();   // a drain asked while this claim ran
                    }
                    mayHaveMore = attempts.size() == want;
                    if (!mayHaveMore) {
                        wait = nextDue[0];
                    }
                }
                errors.succeeded();
            } catch (RuntimeException e) {
                errors.failed(e, settings.pollInterval());
            }
            if (!mayHaveMore) {
                signal.await(wait, () -> running);
            }
        }
    }

    private boolean draining() {
        ClusterState gate = cluster;
        return gate != null && gate.drainRequested();
    }

    /** The poll interval, or less if a queued job of our types becomes due sooner. */
    private Duration untilNextDue(Duration pollInterval) {
        Optional<Duration> next = store.nextDueIn(handlers.keySet());
        if (next.isPresent() && next.get().compareTo(pollInterval) < 0) {
            log.debug("Next job due in {} on node {}", Durations.human(next.get()), settings.nodeId());
            return next.get().isNegative() || next.get().isZero() ? Duration.ofMillis(1) : next.get();
        }
        return pollInterval;
    }

    /**
     * A job left its thread. One of a limited type wakes nobody here (a claim would still count it
     * as running): its outcome is written at once, and that commit wakes the loop.
     */
    private void slotFreed(boolean limitedType) {
        dispatcher.slotFreed();
        // The loop has nothing to do until the prefetched jobs run low: no wake-up per job.
        if (!limitedType && dispatcher.prefetched() < refillBelow) {
            wake();
        }
    }

    /** {@code pooled}: the attempts run on the pool's slots (the loop), not on {@link #runOnce()}'s own threads. */
    private List<Attempt> claim(int limit, boolean pooled) {
        long leaseExpires = System.nanoTime() + settings.lease().toNanos();
        // Threads free now and not promised to a prefetched attempt: a limited type is claimed for these only.
        int freeThreads = dispatcher.freeThreads();
        List<ClaimedJob> jobs = limits.claim(limit, freeThreads, settings.lease());
        List<Attempt> attempts = new ArrayList<>(jobs.size());
        for (ClaimedJob job : jobs) {
            boolean limitedType = limits.isLimited(job.jobType());
            Attempt attempt = runner.attemptOf(job, leaseExpires, pooled ? () -> slotFreed(limitedType) : () -> { });
            inFlight.add(attempt);
            // Ended once its outcome is recorded (a batched completion counts as completed first).
            attempt.done().whenComplete((ok, e) -> {
                inFlight.remove(attempt);
                ended.incrementAndGet();
                ClusterState gate = cluster;
                if (gate != null) {
                    gate.checkDrained();   // a draining node says it is drained when its last job ends
                }
                if (limits.isLimited(job.jobType())) {
                    wake();   // its outcome is written (at once: CompletionBatcher): one more of its type may run now
                }
            });
            attempts.add(attempt);
        }
        if (!jobs.isEmpty()) {
            log.debug("Claimed {} job(s) on node {}", jobs.size(), settings.nodeId());
        }

        if (!jobs.isEmpty() && listeners.active()) {
            Listeners.countBy(jobs, ClaimedJob::jobType, listeners::claimed);
        }
        return attempts;
    }

    /**
     * One heartbeat: extends the lease of every attempt whose handler runs within its time limit
     * (not of one past it, nor of one whose outcome is being recorded). Returns how many leases
     * the database extended. The heartbeat calls it every lease/3; tests call it directly.
     */
    public int renewLeases() {
        long now = System.nanoTime();
        List<Attempt> renew = inFlight.stream().filter(a -> a.wantsLease(now)).toList();
        int n = store.extendLeases(renew.stream().map(Attempt::job).toList(), settings.lease());
        renew.forEach(a -> a.leaseExtended(now + settings.lease().toNanos()));
        return n;
    }

    private void extendLeases() {
        try {
            int n = renewLeases();
            log.debug("Extended {} lease(s) on node {}", n, settings.nodeId());
        } catch (RuntimeException e) {
            log.warn("Could not extend job leases on node {}: {}", settings.nodeId(), LoopErrors.describe(e));
        }
    }

    /** At most one INFO line a minute about the jobs that ran, none while idle (see {@link WorkerSummary}). */
    private void logSummary() {
        long endedTotal = ended.get(); // first: a completion counts in "completed" before it counts as ended
        String line = summary.sample(completed.get(), endedTotal, System.nanoTime());
        if (line != null) {
            log.info(line);
        }
    }

    private ExecutorService newExecutor() {
        // Threads as needed: the slots bound the jobs in flight, and a handler abandoned after its
        // timeout must not keep a thread from the next job.
        return Executors.newCachedThreadPool(daemon("lamplighter-worker"));
    }

    private static ThreadFactory daemon(String prefix) {
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

    /** Whether this loop's last attempt failed because the database could not be reached. */
    public boolean inOutage() {
        return errors.inOutage();
    }
}
