package dev.lamplighter.worker.internal.queue;

import dev.lamplighter.worker.internal.LoopErrors;
import dev.lamplighter.worker.internal.config.Durations;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what an attempt led to, apart from running it: "the handler failed" and "recording the
 * outcome failed" are different things. A write that fails on the connection (or on a transient
 * conflict) is retried with a bounded backoff while this node still holds the job's lease; the
 * writes are compare-and-sets on job, attempt and owner, so a retry after a write that did commit
 * changes nothing. If the lease runs out first, the job is left to the rescuer; it is never counted
 * as a handler failure. One log line per job either way.
 */
final class OutcomeWriter {

    static final Duration FIRST_RETRY = Duration.ofMillis(50);
    static final Duration LONGEST_RETRY = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    private final JobStore store;
    private final WorkerSettings settings;
    private final AtomicInteger completed;
    private final LongSupplier nanoTime;
    private final BooleanSupplier shuttingDown;

    OutcomeWriter(JobStore store, WorkerSettings settings, AtomicInteger completed, LongSupplier nanoTime,
                  BooleanSupplier shuttingDown) {
        this.store = store;
        this.settings = settings;
        this.completed = completed;
        this.nanoTime = nanoTime;
        this.shuttingDown = shuttingDown;
    }

    /** The handler returned {@code resultJson}: complete the job (and consume its counters). */
    void completed(Attempt attempt, String resultJson, long ranMs) {
        ClaimedJob job = attempt.job();
        Write<Boolean> write = retrying(attempt, () -> store.complete(job.jobId(), job.attempt(), resultJson));
        if (write.permanentError != null) {
            failed(attempt, "the result could not be stored: " + LoopErrors.describe(write.permanentError),
                    write.permanentError);
            return;
        }
        if (write.value == null) {
            log.warn("Job {} ({}) attempt {} succeeded in {} ms but its completion could not be recorded within its lease "
                            + "({} tries, last: {}); the rescuer will take it back", job.jobId(), job.jobType(),
                    job.attempt(), ranMs, write.tries, write.lastError);
        } else if (!write.value && !(write.tries > 1 && earlierTryCommitted(job))) {
            log.warn("Job {} ({}) attempt {} finished after its lease was taken back; its result is dropped",
                    job.jobId(), job.jobType(), job.attempt());
        } else {
            completed.incrementAndGet();
            if (write.tries > 1) {
                log.info("Job {} ({}) completed in {} ms; recording it took {} tries ({})", job.jobId(), job.jobType(),
                        ranMs, write.tries, write.lastError);
            } else {
                log.debug("Job {} ({}) completed in {} ms", job.jobId(), job.jobType(), ranMs);
            }
        }
    }

    /**
     * A retried completion found nothing to change: an earlier try may have committed before its
     * connection broke (the client never saw the commit). Then the job is completed, not lost.
     */
    boolean earlierTryCommitted(ClaimedJob job) {
        try {
            return store.completedAt(job.jobId(), job.attempt());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The attempt failed ({@code error} is what {@code last_error} keeps): retry with backoff while
     * attempts remain, else fail the job. Written at once, on the calling thread; the worker's
     * usual path is the {@link CompletionBatcher}, which writes failures together.
     */
    void failed(Attempt attempt, String error, Throwable cause) {
        ClaimedJob job = attempt.job();
        String kept = storable(error);
        Duration retryIn = retryDelay(job);
        Write<Optional<JobStore.FailResult>> write = retrying(attempt,
                () -> store.failAttempt(job.jobId(), job.attempt(), kept, retryIn));
        if (write.permanentError != null) {
            log.error("Job {} ({}) attempt {} failed ({}) and that could not be recorded: {}; the rescuer will take it back",
                    job.jobId(), job.jobType(), job.attempt(), kept, LoopErrors.describe(write.permanentError),
                    write.permanentError);
        } else if (write.value == null) {
            notRecordedWithinLease(job, kept, write.tries, write.lastError);
        } else {
            reportFailed(attempt, kept, cause, retryIn, write.value);
        }
    }

    /** The wait before the next attempt of {@code job}: exponential backoff with jitter. */
    Duration retryDelay(ClaimedJob job) {
        return Backoff.delay(settings.retryBase(), settings.retryMax(), job.attempt(), ThreadLocalRandom.current());
    }

    /** What {@code last_error} can hold of an error: PostgreSQL text cannot hold NUL. */
    static String storable(String error) {
        return error.indexOf('\u0000') < 0 ? error : error.replace('\u0000', '?');
    }

    /** One line: a failure that could not be written while the lease held. */
    static void notRecordedWithinLease(ClaimedJob job, String error, int tries, String lastError) {
        log.warn("Job {} ({}) attempt {} failed ({}) and that could not be recorded within its lease ({} tries, last: {}); "
                + "the rescuer will take it back", job.jobId(), job.jobType(), job.attempt(), error, tries, lastError);
    }

    /**
     * One line for a written failure: WARN without a stack trace for an attempt that will be
     * retried, ERROR with it (when there is one) for a job that fails for good; {@code result} is
     * empty when the attempt was no longer this node's.
     */
    void reportFailed(Attempt attempt, String error, Throwable cause, Duration retryIn,
                      Optional<JobStore.FailResult> result) {
        ClaimedJob job = attempt.job();
        if (result.isEmpty() && shuttingDown.getAsBoolean()) {
            log.info("Job {} ({}) attempt {} ended after it was released at shutdown: {}", job.jobId(), job.jobType(),
                    job.attempt(), error);
        } else if (result.isEmpty()) {
            log.warn("Job {} ({}) attempt {} failed after its lease was taken back: {}", job.jobId(), job.jobType(),
                    job.attempt(), error);
        } else if ("failed".equals(result.get().status())) {
            if (cause == null) {
                log.error("Job {} ({}) failed after {} attempt(s): {}", job.jobId(), job.jobType(), job.attempt(), error);
            } else {
                log.error("Job {} ({}) failed after {} attempt(s): {}", job.jobId(), job.jobType(), job.attempt(), error,
                        cause);
            }
        } else {
            log.warn("Job {} ({}) attempt {}/{} failed, retrying in {}: {}", job.jobId(), job.jobType(), job.attempt(),
                    job.maxAttempts(), Durations.human(retryIn), error);
        }
    }

    /** The outcome of a write: its value, or null when it was given up. */
    private static final class Write<T> {
        T value;
        int tries;
        String lastError;
        RuntimeException permanentError;
    }

    private <T> Write<T> retrying(Attempt attempt, Supplier<T> statement) {
        Write<T> write = new Write<>();
        long delayMs = FIRST_RETRY.toMillis();
        while (true) {
            write.tries++;
            try {
                write.value = statement.get();
                return write;
            } catch (RuntimeException e) {
                write.lastError = LoopErrors.describe(e);
                if (!isTransient(e)) {
                    write.permanentError = e;
                    return write;
                }
                log.debug("Recording the outcome of {} failed (try {}), retrying", attempt, write.tries, e);
            }
            long left = attempt.leaseExpiresAtNanos() - nanoTime.getAsLong();
            if (left <= TimeUnit.MILLISECONDS.toNanos(delayMs)) {
                return write;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return write;
            }
            delayMs = Math.min(delayMs * 2, LONGEST_RETRY.toMillis());
        }
    }

    /**
     * Whether a retry may succeed: the connection failed or the server went away, or the statement
     * lost a conflict (serialization failure, deadlock, lock not available, cancelled).
     */
    static boolean isTransient(Throwable e) {
        if (LoopErrors.isConnectionError(e)) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("40") || state.equals("55P03") || state.equals("57014") || state.startsWith("53")) {
                    return true;
                }
            }
        }
        return false;
    }
}
