package dev.lamplighter.client;

import dev.lamplighter.JobHandler;
import dev.lamplighter.JobSource;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A job to enqueue. Defaults: empty payload, priority 0, run at once, 3 attempts, source
 * {@code api}, no dedup key, no timeout of its own (the handler's, else the node's).
 */
public final class JobRequest {

    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    private final String jobType;
    private final Map<String, Object> payload;
    private final int priority;
    private final Instant runAt;
    private final int maxAttempts;
    private final String dedupKey;
    private final JobSource source;
    private final Duration timeout;

    private JobRequest(Builder b) {
        this.jobType = b.jobType;
        this.payload = Map.copyOf(b.payload);
        this.priority = b.priority;
        this.runAt = b.runAt;
        this.maxAttempts = b.maxAttempts;
        this.dedupKey = b.dedupKey;
        this.source = b.source;
        this.timeout = b.timeout;
    }

    public static Builder builder(String jobType) {
        return new Builder(jobType);
    }

    public String jobType() { return jobType; }

    public Map<String, Object> payload() { return payload; }

    public int priority() { return priority; }

    /** When the job may first run; empty means now (the database's clock). */
    public Optional<Instant> runAt() { return Optional.ofNullable(runAt); }

    public int maxAttempts() { return maxAttempts; }

    /** At most one job ever exists per dedup key; empty means no dedup. */
    public Optional<String> dedupKey() { return Optional.ofNullable(dedupKey); }

    public JobSource source() { return source; }

    /**
     * This job's time limit per attempt ({@code jobs.timeout_ms}); empty means the handler's
     * {@link JobHandler#timeout()}, else the node default ({@code LAMPLIGHTER_JOB_TIMEOUT}).
     */
    public Optional<Duration> timeout() { return Optional.ofNullable(timeout); }

    /** Builds a {@link JobRequest}. */
    public static final class Builder {
        private final String jobType;
        private final Map<String, Object> payload = new LinkedHashMap<>();
        private int priority;
        private Instant runAt;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private String dedupKey;
        private JobSource source = JobSource.API;
        private Duration timeout;

        private Builder(String jobType) {
            this.jobType = jobType;
        }

        public Builder payload(Map<String, ?> payload) {
            this.payload.putAll(payload);
            return this;
        }

        public Builder put(String key, Object value) {
            this.payload.put(Objects.requireNonNull(key, "key"), value);
            return this;
        }

        /** Higher runs first; default 0. */
        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        public Builder runAt(Instant runAt) {
            this.runAt = runAt;
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder dedupKey(String dedupKey) {
            this.dedupKey = dedupKey;
            return this;
        }

        public Builder source(JobSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * The time limit of each attempt of this job, from 1 ms to 7 days; overrides the handler's
         * and the node's. When it passes, the handler's thread is interrupted and the attempt fails
         * ("timed out after 30s (job timeout)") and is retried like any failure.
         */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public JobRequest build() {
            if (jobType == null || jobType.isBlank()) {
                throw new IllegalArgumentException("jobType = " + jobType + " is not allowed: expected a non-blank job type");
            }
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts = " + maxAttempts + " is not allowed: expected 1 or more");
            }
            if (dedupKey != null && dedupKey.isBlank()) {
                throw new IllegalArgumentException("dedupKey = \"" + dedupKey + "\" is not allowed: expected null or non-blank text");
            }
            if (timeout != null) {
                JobHandler.checkTimeout("timeout", timeout);
            }
            return new JobRequest(this);
        }
    }
}
