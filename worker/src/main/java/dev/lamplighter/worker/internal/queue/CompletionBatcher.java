package dev.lamplighter.worker.internal.queue;

import dev.lamplighter.worker.internal.LoopErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the outcomes of finished attempts together, completions and failures alike: a worker
 * thread hands its attempt's outcome over ({@link #submit}, {@link #submitFailure}) and takes its
 * next job; one flusher thread gathers a batch, after the first waited {@code flush} or once
 * {@link #MAX_BATCH} are there, and hands it to a writer (at most {@link #WRITERS} write at once, so
 * that the next batch's write does not wait for the last one's commit to reach the disk). A batch
 * is written in one transaction: one statement for the completions
 * (sql/jobs/complete_batch.sql, counters included) and one for the failures
 * (sql/jobs/fail_batch.sql, retry with backoff or fail for good). Each row stays a compare-and-set
 * on job, attempt and owner. When {@link #CAPACITY} outcomes wait, a worker thread that hands one
 * over waits for room (backpressure: memory stays bounded). Each failure still gets its own log
 * line, written once the batch is.
 *
 * <p>A batch that fails on the connection (or on a transient conflict) is retried with the
 * {@link OutcomeWriter}'s bounded backoff while the attempts' leases hold; an attempt whose lease
 * runs out first is left to the rescuer, and never counted as a handler failure. A retried batch
 * whose earlier try had committed counts each outcome once. A batch that fails for another reason
 * is written again one attempt at a time by the {@link OutcomeWriter}, which fails the attempt
 * whose result cannot be stored. {@link #stop()} writes what waits.
 * An outcome of a type with a concurrency limit frees the type's place only once written: the
 * batch it joins is written at once, without waiting for the flush interval.
 */
final class CompletionBatcher {

    /** Most outcomes in one batch. */
    static final int MAX_BATCH = 200;
    /** Most batches being written at once. */
    static final int WRITERS = 2;
    /** Most outcomes waiting; a worker thread waits for room beyond it. */
    static final int CAPACITY = 2 * MAX_BATCH;

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    private static final long IDLE_POLL_MS = 100;
    /** Idle polls after which the flusher thread ends (the next completion starts another). */
    private static final int IDLE_POLLS = 10;

    /**
     * A finished attempt whose outcome waits to be written: a completion ({@code error} null) or a
     * failure with the delay before its retry.
     */
    private record Pending(Attempt attempt, String resultJson, long ranMs, String error, Throwable cause,
                           Duration retryIn, boolean atOnce) {
        boolean failed() {
            return error != null;
        }
    }

    private final OutcomeStore store;
    private final Runnable requeued;
    private final OutcomeWriter writer;
    private final AtomicInteger completed;
    private final Duration flush;
    private final LongSupplier nanoTime;
    private final String nodeId;
    private final Predicate<String> atOnce;
    private final BlockingQueue<Pending> waiting = new ArrayBlockingQueue<>(CAPACITY);
    private final ReadWriteLock stopping = new ReentrantReadWriteLock();
    private volatile boolean stopped;
    private Thread flusher;
    /** The flusher while it gathers a batch, parked until the flush time unless woken (see {@link #enqueue}). */
    private volatile Thread gathering;
    /** How many more outcomes the gathering flusher wants before it writes early; the submitter wakes it then. */
    private volatile int gatherMore = Integer.MAX_VALUE;
    /** An outcome to write at once was queued since the flusher last looked. */
    private volatile boolean atOnceQueued;
    /** Permits for batch writes in progress. */
    private final Semaphore writers = new Semaphore(WRITERS);
    private final ExecutorService writing = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lamplighter-outcome-writer");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param requeued called after a batch that put failed attempts back in the queue for a retry,
     *     so that the worker loop asks again when its next job is due
     * @param atOnce the job types whose outcomes are written at once (those with a concurrency limit)
     */
    CompletionBatcher(OutcomeStore store, OutcomeWriter writer, AtomicInteger completed, Duration flush,
                      LongSupplier nanoTime, String nodeId, Runnable requeued, Predicate<String> atOnce) {
        this.atOnce = atOnce;
        this.requeued = requeued;
        this.store = store;
        this.writer = writer;
        this.completed = completed;
        this.flush = flush;
        this.nanoTime = nanoTime;
        this.nodeId = nodeId;
    }

    /**
     * The handler of {@code attempt} returned {@code resultJson}: frees its worker slot and queues
     * the completion; {@link Attempt#finish()} follows when it is written. Waits while
     * {@link #CAPACITY} completions wait. After {@link #stop()}, writes it on the calling thread.
     */
    void submit(Attempt attempt, String resultJson, long ranMs) {
        enqueue(new Pending(attempt, resultJson, ranMs, null, null, null, atOnce.test(attempt.job().jobType())));
    }

    /**
     * The attempt failed ({@code error} is what {@code last_error} keeps): frees its worker slot
     * and queues the failure, written with the next batch; {@link Attempt#finish()} follows when it
     * is written. After {@link #stop()}, writes it on the calling thread.
     */
    void submitFailure(Attempt attempt, String error, Throwable cause) {
        enqueue(new Pending(attempt, null, 0, OutcomeWriter.storable(error), cause, writer.retryDelay(attempt.job()),
                atOnce.test(attempt.job().jobType())));
    }

    private void enqueue(Pending pending) {
        Attempt attempt = pending.attempt();
        boolean queued = false;
        stopping.readLock().lock();
        try {
            if (!stopped) {
                waiting.put(pending);
                queued = true;
                startFlusher();
                wakeGatherer(pending.atOnce());
                attempt.freeSlot();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopping.readLock().unlock();
        }
        if (!queued) {
            try {
                writeAlone(pending);
            } finally {
                attempt.finish();
            }
        }
    }

    /**
     * Wakes the gathering flusher only when its batch can be written: full, or holding an outcome
     * to write at once. Not on every outcome: at thousands a second that is a thread wake-up each.
     */
    private void wakeGatherer(boolean atOnce) {
        if (atOnce) {
            atOnceQueued = true;
        }
        Thread t = gathering;
        if (t != null && (atOnce || waiting.size() >= gatherMore)) {
            LockSupport.unpark(t);
        }
    }

    private void writeAlone(Pending p) {
        if (p.failed()) {
            writer.failed(p.attempt(), p.error(), p.cause());
        } else {
            writer.completed(p.attempt(), p.resultJson(), p.ranMs());
        }
    }

    /** Writes what waits and stops the flusher; later completions are written by their own thread. Idempotent. */
    void stop(Duration wait) {
        stopping.writeLock().lock();
        try {
            stopped = true;
        } finally {
            stopping.writeLock().unlock();
        }
        Thread t;
        synchronized (this) {
            t = flusher;
        }
        long deadline = System.nanoTime() + Math.max(1, wait.toNanos());
        if (t != null) {
            try {
                t.join(Math.max(1, wait.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                t.interrupt();
            }
        }
        // The batches being written finish first (each gives up on its own once its leases run out).
        try {
            if (writers.tryAcquire(WRITERS, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                writers.release(WRITERS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writing.shutdown();
        List<Pending> left = new ArrayList<>();
        waiting.drainTo(left);
        if (!left.isEmpty()) {
            write(left);
        }
    }

    /** Ends the flusher if nothing waits; a later {@link #submit} starts another. */
    private synchronized boolean endIfIdle() {
        if (!waiting.isEmpty()) {
            return false;
        }
        flusher = null;
        return true;
    }

    private synchronized void startFlusher() {
        if (flusher == null) {
            flusher = new Thread(this::loop, "lamplighter-completion-flusher");
            flusher.setDaemon(true);
            flusher.start();
        }
    }

    private void loop() {
        int idle = 0;
        while (true) {
            List<Pending> batch = new ArrayList<>();
            try {
                Pending first = waiting.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if ((stopped || ++idle >= IDLE_POLLS) && endIfIdle()) {
                        return;
                    }
                    continue;
                }
                idle = 0;
                batch.add(first);
                long deadline = nanoTime.getAsLong() + flush.toNanos();
                // An outcome of a limited type holds a place of its type until written: no waiting.
                boolean now = first.atOnce();
                while (batch.size() < MAX_BATCH) {
                    atOnceQueued = false;
                    int had = batch.size();
                    waiting.drainTo(batch, MAX_BATCH - had);
                    for (int i = had; i < batch.size() && !now; i++) {
                        now = batch.get(i).atOnce();
                    }
                    long left = deadline - nanoTime.getAsLong();
                    if (now || batch.size() >= MAX_BATCH || stopped || left <= 0) {
                        break;
                    }
                    gatherUntilFullOr(left, MAX_BATCH - batch.size());
                }
                handOff(batch);
            } catch (InterruptedException e) {
                waiting.drainTo(batch);
                write(batch);
                return;
            }
        }
    }

    /**
     * Parks up to {@code nanos}, or until {@code more} outcomes wait or one to write at once
     * arrives (the submitter wakes this thread then, {@link #wakeGatherer}).
     */
    private void gatherUntilFullOr(long nanos, int more) throws InterruptedException {
        gatherMore = more;
        gathering = Thread.currentThread();
        try {
            // Checked after announcing: an outcome queued before the announcement is seen here,
            // one queued after it wakes this thread (an unpark before the park is kept).
            if (waiting.size() < more && !atOnceQueued && !stopped) {
                LockSupport.parkNanos(this, nanos);
            }
        } finally {
            gathering = null;
            gatherMore = Integer.MAX_VALUE;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("completion flusher stopped");
        }
    }

    /** Gives the batch to a writer once fewer than {@link #WRITERS} write; meanwhile the next batch gathers. */
    private void handOff(List<Pending> batch) throws InterruptedException {
        // While every writer waits on the database, the batch in hand takes what arrives, up to the most.
        while (!writers.tryAcquire(1, TimeUnit.MILLISECONDS)) {
            if (batch.size() < MAX_BATCH) {
                waiting.drainTo(batch, MAX_BATCH - batch.size());
            }
        }
        try {
            writing.execute(() -> {
                try {
                    write(batch);
                } finally {
                    writers.release();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            writers.release();
            write(batch);
        }
    }

    /** Writes one batch, retrying while leases hold; every attempt in it is finished afterwards. */
    private void write(List<Pending> batch) {
        List<Pending> left = batch;
        int tries = 0;
        String lastError = null;
        long delayMs = OutcomeWriter.FIRST_RETRY.toMillis();
        try {
            while (!left.isEmpty()) {
                tries++;
                List<OutcomeStore.Completion> completions = new ArrayList<>();
                List<OutcomeStore.Failure> failures = new ArrayList<>();
                for (Pending p : left) {
                    ClaimedJob job = p.attempt().job();
                    if (p.failed()) {
                        failures.add(new OutcomeStore.Failure(job.jobId(), job.attempt(), p.error(),
                                p.retryIn().toMillis()));
                    } else {
                        completions.add(new OutcomeStore.Completion(job.jobId(), job.attempt(), p.resultJson()));
                    }
                }
                try {
                    OutcomeStore.Written written = store.write(completions, failures);
                    Map<Long, JobStore.FailResult> failed = written.failed();
                    if (tries > 1 && failed.size() < failures.size()) {
                        failed = new HashMap<>(failed);
                        failed.putAll(earlierTryFailed(failures));
                    }
                    report(left, written.completed(), failed, tries, lastError);
                    if (failed.values().stream().anyMatch(f -> "queued".equals(f.status()))) {
                        requeued.run();
                    }
                    return;
                } catch (RuntimeException e) {
                    lastError = LoopErrors.describe(e);
                    if (!OutcomeWriter.isTransient(e)) {
                        log.warn("Writing {} outcome(s) together failed on node {} ({}); writing them one by one",
                                left.size(), nodeId, lastError);
                        left.forEach(this::writeAlone);
                        return;
                    }
                    log.debug("Writing {} outcome(s) failed (try {}), retrying", left.size(), tries, e);
                }
                left = withinLease(left, delayMs, tries, lastError);
                if (!left.isEmpty()) {
                    TimeUnit.MILLISECONDS.sleep(delayMs);
                    delayMs = Math.min(delayMs * 2, OutcomeWriter.LONGEST_RETRY.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            for (Pending p : left) {
                ClaimedJob job = p.attempt().job();
                log.warn("Job {} ({}) attempt {} {} but that was not written before the node stopped ({} tries, last: {}); "
                        + "the rescuer will take it back", job.jobId(), job.jobType(), job.attempt(), what(p), tries,
                        lastError);
            }
        } finally {
            batch.forEach(p -> p.attempt().finish());
        }
    }

    /** A retried batch found failures it could not change: those an earlier try had written. */
    private Map<Long, JobStore.FailResult> earlierTryFailed(List<OutcomeStore.Failure> failures) {
        try {
            return store.alreadyFailed(failures);
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    private static String what(Pending p) {
        return p.failed() ? "failed (" + p.error() + ")" : "succeeded in " + p.ranMs() + " ms";
    }

    /** The attempts whose lease outlasts the next retry; the others are left to the rescuer, with one line each. */
    private List<Pending> withinLease(List<Pending> batch, long delayMs, int tries, String lastError) {
        long now = nanoTime.getAsLong();
        List<Pending> keep = new ArrayList<>();
        for (Pending p : batch) {
            if (p.attempt().leaseExpiresAtNanos() - now > TimeUnit.MILLISECONDS.toNanos(delayMs)) {
                keep.add(p);
            } else {
                ClaimedJob job = p.attempt().job();
                if (p.failed()) {
                    OutcomeWriter.notRecordedWithinLease(job, p.error(), tries, lastError);
                } else {
                    log.warn("Job {} ({}) attempt {} succeeded in {} ms but its completion could not be recorded within "
                            + "its lease ({} tries, last: {}); the rescuer will take it back", job.jobId(), job.jobType(),
                            job.attempt(), p.ranMs(), tries, lastError);
                }
            }
        }
        return keep;
    }

    private void report(List<Pending> batch, Set<Long> done, Map<Long, JobStore.FailResult> failed, int tries,
                        String lastError) {
        List<Long> retried = new ArrayList<>();   // one line for them all, not one per job
        for (Pending p : batch) {
            ClaimedJob job = p.attempt().job();
            if (p.failed()) {
                if (tries > 1) {
                    log.debug("Job {} ({}) attempt {}: recording its failure took {} tries ({})", job.jobId(),
                            job.jobType(), job.attempt(), tries, lastError);
                }
                writer.reportFailed(p.attempt(), p.error(), p.cause(), p.retryIn(),
                        Optional.ofNullable(failed.get(job.jobId())));
            } else if (done.contains(job.jobId()) || (tries > 1 && writer.earlierTryCommitted(job))) {
                completed.incrementAndGet();
                if (tries > 1) {
                    retried.add(job.jobId());
                } else {
                    log.debug("Job {} ({}) completed in {} ms", job.jobId(), job.jobType(), p.ranMs());
                }
            } else {
                log.warn("Job {} ({}) attempt {} finished after its lease was taken back; its result is dropped",
                        job.jobId(), job.jobType(), job.attempt());
            }
        }
        if (!retried.isEmpty()) {
            log.info("{} job(s) completed on node {}; recording them took {} tries ({}): jobs {}", retried.size(), nodeId,
                    tries, lastError, retried.size() <= 20 ? retried : retried.subList(0, 20) + " and more");
        }
    }
}
