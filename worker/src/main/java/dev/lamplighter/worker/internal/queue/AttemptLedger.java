package dev.lamplighter.worker.internal.queue;

import dev.lamplighter.worker.events.AttemptEvent;
import dev.lamplighter.worker.internal.Listeners;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the listeners need to hear about an attempt whose outcome waits to be written: its job
 * type, how long its handler ran and whether it timed out. {@link AttemptRunner} notes it when it
 * hands the outcome over (only while a listener is registered); {@link OutcomeStore} takes it
 * back once the outcome's write committed and tells the listeners; the attempt's end removes
 * what a write that never committed left. Thread-safe.
 */
final class AttemptLedger {

    /** One handed-over attempt. */
    record Ran(String jobType, int attempt, long ranNanos, boolean timedOut) {
    }

    private final Listeners listeners;
    private final Map<Long, Ran> waiting = new ConcurrentHashMap<>();

    AttemptLedger(Listeners listeners) {
        this.listeners = listeners;
    }

    Listeners listeners() {
        return listeners;
    }

    /** Whether events are wanted now. */
    boolean active() {
        return listeners.active();
    }

    void noted(long jobId, Ran ran) {
        waiting.put(jobId, ran);
    }

    /** The attempt ended (written or given up): forgets it unless a later attempt took its place. */
    void ended(long jobId, Ran ran) {
        waiting.remove(jobId, ran);
    }

    /** The completion of {@code jobId} at {@code attempt} committed. */
    void completed(long jobId, int attempt) {
        Ran ran = taken(jobId, attempt);
        if (ran != null) {
            listeners.attemptEnded(new AttemptEvent(ran.jobType(), jobId, attempt,
                    ran.timedOut() ? AttemptEvent.Outcome.TIMED_OUT : AttemptEvent.Outcome.COMPLETED,
                    Duration.ofNanos(ran.ranNanos())));
        }
    }

    /** The failure of {@code jobId} at {@code attempt} committed; {@code status}: queued (a retry) or failed. */
    void failed(long jobId, int attempt, String status) {
        Ran ran = taken(jobId, attempt);
        if (ran == null) {
            return;
        }
        AttemptEvent.Outcome outcome = ran.timedOut() ? AttemptEvent.Outcome.TIMED_OUT
                : "failed".equals(status) ? AttemptEvent.Outcome.FAILED : AttemptEvent.Outcome.RETRIED;
        listeners.attemptEnded(new AttemptEvent(ran.jobType(), jobId, attempt, outcome, Duration.ofNanos(ran.ranNanos())));
    }

    private Ran taken(long jobId, int attempt) {
        Ran ran = waiting.get(jobId);
        if (ran == null || ran.attempt() != attempt || !waiting.remove(jobId, ran)) {
            return null;
        }
        return ran;
    }
}
