package dev.lamplighter;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** What a {@link JobHandler} sees of the job it runs. */
public interface JobContext {

    /**
     * The job's id.
     *
     * @return {@code jobs.job_id}
     */
    long jobId();

    /**
     * The job's type, the one this handler was registered for.
     *
     * @return {@code jobs.job_type}
     */
    String jobType();

    /**
     * The job's payload (a JSON object), as enqueued.
     *
     * @return the payload, never null (empty when the job was enqueued without one)
     */
    Map<String, Object> payload();

    /**
     * This attempt's number, from 1.
     *
     * @return 1 for the first attempt, 2 for the first retry, and so on up to {@link #maxAttempts()}
     */
    int attempt();

    /**
     * How many attempts the job has in all before it is marked {@code failed}.
     *
     * @return {@code jobs.max_attempts}, at least 1
     */
    int maxAttempts();

    /**
     * The schedule that launched the job, if a schedule did.
     *
     * @return the schedule's name, or empty for a job enqueued by application code
     */
    Optional<String> scheduleName();

    /**
     * When this attempt started (the worker's clock).
     *
     * @return the start of this attempt
     */
    Instant startedAt();

    /**
     * True once the worker is shutting down and the job's lease is about to be given up; a long
     * handler should check it between steps and stop early by throwing.
     *
     * @return whether the worker is shutting down
     */
    boolean isShuttingDown();
}
