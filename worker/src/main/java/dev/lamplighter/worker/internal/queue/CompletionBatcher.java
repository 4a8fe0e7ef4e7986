package dev.lamplighter.worker.internal.queue;

import dev.lamplighter.worker.internal.LoopErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the completions of finished attempts together: a worker thread hands its attempt's result
 * over ({@link #submit}) and takes its next job; one flusher thread writes what has gathered, after
 * the first waited {@code flush} or once {@link #MAX_BATCH} are there, in one statement and one
 * transaction (sql/jobs/complete_batch.sql), counters included. Each row stays a compare-and-set on
 * job, attempt and owner. When {@link #CAPACITY} results wait, a worker thread that hands one over
 * waits for room (backpressure: memory stays bounded).
 *
 * <p>A batch that fails on the connection (or on a transient conflict) is retried with the
 * {@link OutcomeWriter}'s bounded backoff while the attempts' leases hold; an attempt whose lease
 * runs out first is left to the rescuer, and never counted as a handler failure. A batch that
 * fails for another reason is written again one attempt at a time by the {@link OutcomeWriter},
 * which fails the attempt whose result cannot be stored. {@link #stop()} writes what waits.
 */
final class CompletionBatcher {

    /** Most completions in one statement. */
    static final int MAX_BATCH = 200;
    /** Most completions waiting; a worker thread waits for room beyond it. */
    static final int CAPACITY = 2 * MAX_BATCH;

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    private static final long IDLE_POLL_MS = 100;
    /** Idle polls after which the flusher thread ends (the next completion starts another). */
    private static final int IDLE_POLLS = 10;

    /** A finished attempt whose result waits to be written. */
    private record Pending(Attempt attempt, String resultJson, long ranMs) {
    }

    private final JobStore store;
    private final OutcomeWriter writer;
    private final AtomicInteger completed;
    private final Duration flush;
    private final LongSupplier nanoTime;
    private final String nodeId;
    private final BlockingQueue<Pending> waiting = new ArrayBlockingQueue<>(CAPACITY);
    private final ReadWriteLock stopping = new ReentrantReadWriteLock();
    private volatile boolean stopped;
    private Thread flusher;

    CompletionBatcher(JobStore store, OutcomeWriter writer, AtomicInteger completed, Duration flush,
                      LongSupplier nanoTime, String nodeId) {
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
        Pending pending = new Pending(attempt, resultJson, ranMs);
        boolean queued = false;
        stopping.readLock().lock();
        try {
            if (!stopped) {
                waiting.put(pending);
                queued = true;
                startFlusher();
                attempt.freeSlot();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopping.readLock().unlock();
        }
        if (!queued) {
            try {
                writer.completed(attempt, resultJson, ranMs);
            } finally {
                attempt.finish();
            }
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
                while (batch.size() < MAX_BATCH) {
                    waiting.drainTo(batch, MAX_BATCH - batch.size());
                    long left = deadline - nanoTime.getAsLong();
                    if (batch.size() >= MAX_BATCH || stopped || left <= 0) {
                        break;
                    }
                    Pending next = waiting.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
            } catch (InterruptedException e) {
                waiting.drainTo(batch);
                write(batch);
                return;
            }
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
                try {
                    Set<Long> done = store.completeBatch(left.stream().map(p -> p.attempt().job().jobId()).toArray(Long[]::new),
                            left.stream().map(p -> p.attempt().job().attempt()).toArray(Integer[]::new),
                            left.stream().map(Pending::resultJson).toArray(String[]::new));
                    report(left, done, tries, lastError);
                    return;
                } catch (RuntimeException e) {
                    lastError = LoopErrors.describe(e);
                    if (!OutcomeWriter.isTransient(e)) {
                        log.warn("Writing {} completion(s) together failed on node {} ({}); writing them one by one",
                                left.size(), nodeId, lastError);
                        for (Pending p : left) {
                            writer.completed(p.attempt(), p.resultJson(), p.ranMs());
                        }
                        return;
                    }
                    log.debug("Writing {} completion(s) failed (try {}), retrying", left.size(), tries, e);
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
                log.warn("Job {} ({}) attempt {} succeeded in {} ms but its completion was not written before the node "
                        + "stopped ({} tries, last: {}); the rescuer will take it back", job.jobId(), job.jobType(),
                        job.attempt(), p.ranMs(), tries, lastError);
            }
        } finally {
            batch.forEach(p -> p.attempt().finish());
        }
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
                log.warn("Job {} ({}) attempt {} succeeded in {} ms but its completion could not be recorded within its "
                        + "lease ({} tries, last: {}); the rescuer will take it back", job.jobId(), job.jobType(),
                        job.attempt(), p.ranMs(), tries, lastError);
            }
        }
        return keep;
    }

    private void report(List<Pending> batch, Set<Long> done, int tries, String lastError) {
        for (Pending p : batch) {
            ClaimedJob job = p.attempt().job();
            if (done.contains(job.jobId()) || (tries > 1 && writer.earlierTryCommitted(job))) {
                completed.incrementAndGet();
                if (tries > 1) {
                    log.info("Job {} ({}) completed in {} ms; recording it took {} tries ({})", job.jobId(),
                            job.jobType(), p.ranMs(), tries, lastError);
                } else {
                    log.debug("Job {} ({}) completed in {} ms", job.jobId(), job.jobType(), p.ranMs());
                }
            } else {
                log.warn("Job {} ({}) attempt {} finished after its lease was taken back; its result is dropped",
                        job.jobId(), job.jobType(), job.attempt());
            }
        }
    }
}
