package dev.lamplighter.worker.events;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One attempt of a job whose outcome this node wrote.
 *
 * @param jobType the job type
 * @param jobId the job
 * @param attempt the attempt's number, from 1
 * @param outcome completed, retried, failed, timed_out or released
 * @param ran how long the handler ran; {@link Duration#ZERO} for a released attempt
 */
public record AttemptEvent(String jobType, long jobId, int attempt, Outcome outcome, Duration ran) {

    /**
     * Checks all fields are present.
     *
     * @throws NullPointerException naming a missing field
     */
    public AttemptEvent {
        Objects.requireNonNull(jobType, "jobType");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(ran, "ran");
    }

    /** What the attempt led to. */
    public enum Outcome {
        /** The handler returned; the job is {@code completed}. */
        COMPLETED,
        /** The handler threw; attempts remain, so the job is queued again after a backoff. */
        RETRIED,
        /** The handler threw at the last attempt; the job is {@code failed} for good. */
        FAILED,
        /** The attempt passed its time limit (the job is then retried or failed like any failure). */
        TIMED_OUT,
        /** The node stopped before the attempt ended; the job went back to the queue, attempt not counted. */
        RELEASED;

        /**
         * The name in lower case, as metrics tag it.
         *
         * @return for example {@code timed_out}
         */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
