package dev.lamplighter;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Does the work of one {@code job_type}. Workers claim queued jobs of the types they have handlers
 * for, call {@link #run}, and store the returned map as the job's {@code result}.
 *
 * <p>An exception fails the attempt: the job is retried with exponential backoff until
 * {@code max_attempts}, then marked {@code failed} with the error kept. Handlers must therefore be
 * safe to run again for the same job (idempotent), as with any at-least-once queue.
 *
 * <p><b>Timeout.</b> Each attempt has a time limit: the job's own ({@code jobs.timeout_ms}, set with
 * {@code JobRequest.builder(...).timeout(...)}), else this handler's {@link #timeout()}, else the
 * node default ({@code LAMPLIGHTER_JOB_TIMEOUT}, 30 min). When it passes, the worker interrupts the
 * handler's thread and the attempt fails with {@code timed out after 30s (job timeout)}, retried
 * like any failure. A handler should let {@link InterruptedException} propagate (or check
 * {@link Thread#isInterrupted()} between steps); one that ignores the interrupt loses its lease
 * and its worker slot anyway, and whatever it returns later is discarded.
 *
 * <p>Registered in code, or found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.lamplighter.JobHandler}; public no-argument constructor). One
 * instance runs many jobs at once on the worker pool's threads: it must be thread-safe.
 */
public interface JobHandler {

    /**
     * The {@code job_type} this handler runs.
     *
     * @return a non-blank job type
     */
    String jobType();

    /**
     * Runs one job.
     *
     * @param ctx the job and this attempt
     * @return the result to store (a JSON object; may be empty, never null)
     * @throws Exception a failed attempt
     */
    Map<String, Object> run(JobContext ctx) throws Exception;

    /**
     * The time limit of one attempt of this job type; empty (the default) means the node default
     * ({@code LAMPLIGHTER_JOB_TIMEOUT}). A job enqueued with its own timeout overrides both.
     *
     * @return this job type's time limit, or empty for the node default
     */
    default Optional<Duration> timeout() {
        return Optional.empty();
    }

    /**
     * This handler with {@code timeout} as its {@link #timeout()}:
     * {@code JobHandler.of("reindex", work).withTimeout(Duration.ofMinutes(5))}.
     *
     * @param timeout from 1 ms to 7 days
     * @return a handler that delegates to this one and has {@code timeout} as its time limit
     * @throws IllegalArgumentException when {@code timeout} is null or out of bounds
     */
    default JobHandler withTimeout(Duration timeout) {
        checkTimeout("timeout", timeout);
        JobHandler inner = this;
        return new JobHandler() {
            @Override
            public String jobType() {
                return inner.jobType();
            }

            @Override
            public Map<String, Object> run(JobContext ctx) throws Exception {
                return inner.run(ctx);
            }

            @Override
            public Optional<Duration> timeout() {
                return Optional.of(timeout);
            }

            @Override
            public String toString() {
                return inner + " with timeout " + timeout;
            }
        };
    }

    /** The longest timeout a job or a handler may have. */
    Duration MAX_TIMEOUT = Duration.ofDays(7);

    /**
     * Checks a job timeout: from 1 ms to {@link #MAX_TIMEOUT}.
     *
     * @param field the setting's name, for the message
     * @param timeout the value to check
     * @return {@code timeout}, when it is allowed
     * @throws IllegalArgumentException naming {@code field}, the value and what is allowed
     */
    static Duration checkTimeout(String field, Duration timeout) {
        if (timeout == null || timeout.toMillis() < 1 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(field + " = " + timeout
                    + " is not allowed: expected from 1 ms to 7 days (PT0.001S to PT168H)");
        }
        return timeout;
    }

    /** The work of one job, as a lambda. */
    @FunctionalInterface
    interface Work {
        /**
         * Runs one job, as {@link JobHandler#run} does.
         *
         * @param ctx the job and this attempt
         * @return the result to store (a JSON object; may be empty, never null)
         * @throws Exception a failed attempt
         */
        Map<String, Object> run(JobContext ctx) throws Exception;
    }

    /**
     * A handler for {@code jobType} that does {@code work}: {@code JobHandler.of("reindex", ctx -> Map.of())}.
     *
     * @param jobType the {@code job_type} it runs; not blank
     * @param work what one job does
     * @return a handler with the node's default timeout (see {@link #withTimeout})
     * @throws IllegalArgumentException when {@code jobType} is null or blank
     */
    static JobHandler of(String jobType, Work work) {
        if (jobType == null || jobType.isBlank()) {
            throw new IllegalArgumentException("jobType = " + jobType + " is not allowed: expected a non-blank job type");
        }
        java.util.Objects.requireNonNull(work, "work");
        return new JobHandler() {
            @Override
            public String jobType() {
                return jobType;
            }

            @Override
            public Map<String, Object> run(JobContext ctx) throws Exception {
                return work.run(ctx);
            }

            @Override
            public String toString() {
                return "JobHandler(" + jobType + ")";
            }
        };
    }
}
