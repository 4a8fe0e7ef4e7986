package dev.lamplighter;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** What a {@link JobHandler} sees of the job it runs. */
public interface JobContext {

    long jobId();

    String jobType();

    /** The job's payload (a JSON object), as enqueued. */
    Map<String, Object> payload();

    /** This attempt's number, from 1. */
    int attempt();

    int maxAttempts();

    /** The schedule that launched the job, if a schedule did. */
    Optional<String> scheduleName();

    /** When this attempt started (the worker's clock). */
    Instant startedAt();

    /**
     * True once the worker is shutting down and the job's lease is about to be given up; a long
     * handler should check it between steps and stop early by throwing.
     */
    boolean isShuttingDown();
}
