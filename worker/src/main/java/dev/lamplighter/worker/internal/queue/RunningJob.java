package dev.lamplighter.worker.internal.queue;

import dev.lamplighter.JobContext;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** The {@link JobContext} of one attempt. */
record RunningJob(ClaimedJob job, Map<String, Object> payload, BooleanSupplier shuttingDown) implements JobContext {

    @Override
    public long jobId() {
        return job.jobId();
    }

    @Override
    public String jobType() {
        return job.jobType();
    }

    @Override
    public int attempt() {
        return job.attempt();
    }

    @Override
    public int maxAttempts() {
        return job.maxAttempts();
    }

    @Override
    public Optional<String> scheduleName() {
        return Optional.ofNullable(job.scheduleName());
    }

    @Override
    public Instant startedAt() {
        return job.startedAt();
    }

    @Override
    public boolean isShuttingDown() {
        return shuttingDown.getAsBoolean();
    }
}
