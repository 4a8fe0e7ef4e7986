package dev.lamplighter.worker.internal.queue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamplighter.JobHandler;
import dev.lamplighter.worker.internal.config.Durations;
import dev.lamplighter.worker.internal.schedule.Shown;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one attempt's handler under its time limit and hands the outcome (completion or failure)
 * to the {@link CompletionBatcher}, which writes it with others.
 *
 * <p>When the limit passes, the handler's thread is interrupted. A handler that returns within
 * the grace period ({@link #grace(Duration)}: the limit, at most 5 s) has its attempt failed with
 * the timeout error by its own thread. One that ignores the interrupt is abandoned: the watchdog
 * records the timeout failure, frees the worker slot, and the thread runs on outside the pool's
 * count until it returns, when its outcome is discarded. The pool's executor creates threads as
 * needed (the slots, not the thread count, bound the work), so an abandoned thread never blocks
 * the next job. The heartbeat stops extending the lease as soon as the limit has passed.
 */
final class AttemptRunner {

    static final Duration LONGEST_GRACE = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final Map<String, JobHandler> handlers;
    private final WorkerSettings settings;
    private final OutcomeWriter writer;
    private final CompletionBatcher batcher;
    private final BooleanSupplier shuttingDown;
    private final ScheduledThreadPoolExecutor watchdog;
    private final AtomicInteger abandoned = new AtomicInteger();
    private final LongSupplier durationClock;
    private final LongConsumer durations;
    /** Set once, before the pool starts: what the listeners need of each handed-over attempt. */
    private volatile AttemptLedger ledger;

    /**
     * @param durationClock elapsed nanoseconds by which each handler's run time is measured
     *     ({@code System::nanoTime}; tests pass their own)
     * @param durations told each handler's run time, in nanoseconds, when it returns in time
     */
    AttemptRunner(Map<String, JobHandler> handlers, WorkerSettings settings, OutcomeWriter writer,
                  CompletionBatcher batcher, BooleanSupplier shuttingDown, LongSupplier durationClock,
                  LongConsumer durations) {
        this.durationClock = durationClock;
        this.durations = durations;
        this.handlers = handlers;
        this.settings = settings;
        this.writer = writer;
        this.batcher = batcher;
        this.shuttingDown = shuttingDown;
        this.watchdog = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "lamplighter-job-watchdog");
            t.setDaemon(true);
            return t;
        });
        this.watchdog.setRemoveOnCancelPolicy(true);
        // A no-op every second stays at the head of the watchdog's queue: a job's limit (minutes
        // away, as a rule) is queued behind it and so does not wake the watchdog thread, which an
        // empty queue's new head does; at thousands of jobs a second that is a wake-up per job.
        // A limit shorter than the second becomes the head and wakes it, as it must.
        this.watchdog.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.SECONDS);
    }

    /** The attempt of {@code job}, with its time limit: the job's, else the handler's, else the node's. */
    Attempt attemptOf(ClaimedJob job, long leaseExpiresAtNanos, Runnable releaseSlot) {
        if (job.timeout() != null) {
            return new Attempt(job, job.timeout(), Attempt.TimeoutSource.JOB, leaseExpiresAtNanos, releaseSlot);
        }
        JobHandler handler = handlers.get(job.jobType());
        Duration own = handler == null ? null : handler.timeout().orElse(null);
        return own != null
                ? new Attempt(job, own, Attempt.TimeoutSource.HANDLER, leaseExpiresAtNanos, releaseSlot)
                : new Attempt(job, settings.jobTimeout(), Attempt.TimeoutSource.NODE, leaseExpiresAtNanos, releaseSlot);
    }

    /** How long a timed-out handler gets to return after the interrupt before it is abandoned. */
    static Duration grace(Duration timeout) {
        return timeout.compareTo(LONGEST_GRACE) < 0 ? timeout : LONGEST_GRACE;
    }

    /** Threads whose handler ignored its timeout's interrupt and has not returned yet. */
    int abandonedThreads() {
        return abandoned.get();
    }

    /** Runs the attempt on the calling thread; {@code executor} runs the watchdog's writes. */
    void run(Attempt attempt, ExecutorService executor) {
        ClaimedJob job = attempt.job();
        MDC.put("job", String.valueOf(job.jobId()));
        MDC.put("node", settings.nodeId());
        try {
            long started = System.nanoTime();
            long measured = durationClock.getAsLong();
            attempt.started(started);
            ScheduledFuture<?> limit = watchdog.schedule(() -> timeOut(attempt, executor),
                    attempt.timeout().toNanos(), TimeUnit.NANOSECONDS);
            String resultJson = null;
            Exception error = null;
            try {
                resultJson = runHandler(job);
            } catch (Exception | LinkageError | AssertionError e) {
                error = e instanceof Exception ex ? ex : new IllegalStateException(e.toString(), e);
            } finally {
                limit.cancel(false);
            }
            long ranMs = (System.nanoTime() - started) / 1_000_000;
            Attempt.State found = attempt.handlerReturned();
            if (found != Attempt.State.ABANDONED) {
                durations.accept(durationClock.getAsLong() - measured);
            }
            if (found == Attempt.State.ABANDONED) {
                int left = abandoned.decrementAndGet();
                log.warn("Job {} ({}) attempt {}: the handler returned after {} ms, long after its timeout; its "
                                + "outcome ({}) is discarded ({} abandoned thread(s) left on node {})", job.jobId(),
                        job.jobType(), job.attempt(), ranMs, error == null ? "a result" : describe(error), left,
                        settings.nodeId());
                return;
            }
            noteForListeners(attempt, System.nanoTime() - started, found == Attempt.State.TIMED_OUT);
            boolean handedOver = false;
            try {
                // The batcher finishes the attempt once its outcome is written.
                handedOver = true;
                if (found == Attempt.State.TIMED_OUT) {
                    batcher.submitFailure(attempt, attempt.timeoutMessage(), null);
                } else if (error == null) {
                    batcher.submit(attempt, resultJson, ranMs);
                } else {
                    // An unreadable payload is the row's fault, not the handler's: its message says it all.
                    batcher.submitFailure(attempt, describe(error), error instanceof UnreadablePayloadException ? null : error);
                }
            } catch (RuntimeException e) {
                log.error("Job {} ({}) attempt {}: recording its outcome failed; the rescuer will take it back after its "
                        + "lease: {}", job.jobId(), job.jobType(), job.attempt(), e.toString(), e);
                handedOver = false;
            } finally {
                if (!handedOver) {
                    attempt.finish();
                }
            }
        } finally {
            MDC.remove("job");
            MDC.remove("node");
        }
    }

    /** With a listener registered: notes what it will hear once the outcome is written, forgotten when the attempt ends. */
    private void noteForListeners(Attempt attempt, long ranNanos, boolean timedOut) {
        AttemptLedger l = ledger;
        if (l == null || !l.active()) {
            return;
        }
        ClaimedJob job = attempt.job();
        AttemptLedger.Ran ran = new AttemptLedger.Ran(job.jobType(), job.attempt(), ranNanos, timedOut);
        l.noted(job.jobId(), ran);
        attempt.done().whenComplete((ok, e) -> l.ended(job.jobId(), ran));
    }

    /** Where handed-over attempts are noted for the listeners; set once, before the pool runs. */
    void ledger(AttemptLedger ledger) {
        this.ledger = ledger;
    }

    private String runHandler(ClaimedJob job) throws Exception {
        JobHandler handler = handlers.get(job.jobType());
        Map<String, Object> payload = payload(job.payloadJson());
        Map<String, Object> result = handler.run(new RunningJob(job, payload == null ? Map.of() : payload, shuttingDown));
        if (result == null) {
            throw new IllegalStateException(handler.getClass().getName()
                    + ".run returned null: expected a result map (Map.of() for none)");
        }
        return result.isEmpty() ? "{}" : JSON.writeValueAsString(result);
    }

    /**
     * Reads a job's payload; one the node cannot read (nested deeper than the JSON parser allows,
     * say) fails the attempt with a message that names the payload, shows its start and says why.
     */
    static Map<String, Object> payload(String json) {
        if ("{}".equals(json)) {
            return new java.util.LinkedHashMap<>();   // the most common payload, without a parser
        }
        try {
            return JSON.readValue(json, MAP);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UnreadablePayloadException("payload = " + Shown.escaped(Shown.cut(json)) + " is not allowed: "
                    + Shown.firstLine(e.getOriginalMessage()) + ": expected a JSON object this node's JSON parser reads");
        }
    }

    private void timeOut(Attempt attempt, ExecutorService executor) {
        if (attempt.timeOut()) {
            log.debug("{} passed its time limit; interrupting the handler", attempt);
            watchdog.schedule(() -> abandonIfStillRunning(attempt, executor), grace(attempt.timeout()).toNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    private void abandonIfStillRunning(Attempt attempt, ExecutorService executor) {
        if (!attempt.abandon()) {
            return;
        }
        int count = abandoned.incrementAndGet();
        ClaimedJob job = attempt.job();
        log.warn("Job {} ({}) attempt {}: the handler ignored the interrupt {} after its timeout; its thread is abandoned "
                        + "({} abandoned thread(s) on node {}) and its slot freed", job.jobId(), job.jobType(),
                job.attempt(), Durations.human(grace(attempt.timeout())), count, settings.nodeId());
        Runnable record = () -> {
            try {
                writer.failed(attempt, attempt.timeoutMessage() + "; the handler ignored the interrupt", null);
            } finally {
                attempt.finish();
            }
        };
        try {
            executor.execute(record);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            record.run();
        }
    }

    /** A job's payload the node cannot read; the message names the payload and why. */
    static final class UnreadablePayloadException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UnreadablePayloadException(String message) {
            super(message);
        }
    }

    /** What {@code last_error} keeps of a handler's exception. */
    static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** Stops the watchdog. */
    void stop() {
        watchdog.shutdownNow();
    }
}
