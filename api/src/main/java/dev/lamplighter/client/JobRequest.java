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

    /** Attempts a job has before it is marked failed, unless set: {@value}. */
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

    /**
     * Starts a request; {@link Builder#build()} checks every field.
     *
     * @param jobType the {@code job_type} a {@link JobHandler} runs; not blank
     * @return a builder with the defaults above
     */
    public static Builder builder(String jobType) {
        return new Builder(jobType);
    }

    /** {@return the job's type, {@code jobs.job_type}} */
    public String jobType() { return jobType; }

    /** {@return the job's payload, a JSON object stored as {@code jobs.payload}; unmodifiable} */
    public Map<String, Object> payload() { return payload; }

    /** {@return the job's priority, higher first; default 0} */
    public int priority() { return priority; }

    /** {@return when the job may first run; empty means now (the database's clock)} */
    public Optional<Instant> runAt() { return Optional.ofNullable(runAt); }

    /** {@return attempts before the job is marked failed; default {@value #DEFAULT_MAX_ATTEMPTS}} */
    public int maxAttempts() { return maxAttempts; }

    /** {@return the dedup key: at most one job ever exists per dedup key; empty means no dedup} */
    public Optional<String> dedupKey() { return Optional.ofNullable(dedupKey); }

    /** {@return where the job comes from, {@code jobs.job_source}; default {@link JobSource#API}} */
    public JobSource source() { return source; }

    /**
     * This job's time limit per attempt ({@code jobs.timeout_ms}); empty means the handler's
     * {@link JobHandler#timeout()}, else the node default ({@code LAMPLIGHTER_JOB_TIMEOUT}).
     *
     * @return the job's own time limit, or empty
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

        /**
         * Payload fields, added to those given before.
         *
         * @param payload field names to JSON values (String, Number, Boolean, List, Map)
         * @return this builder
         */
        public Builder payload(Map<String, ?> payload) {
            this.payload.putAll(payload);
            return this;
        }

        /**
         * One payload field.
         *
         * @param key the field's name; not null
         * @param value a JSON value (String, Number, Boolean, List, Map)
         * @return this builder
         */
        public Builder put(String key, Object value) {
            this.payload.put(Objects.requireNonNull(key, "key"), value);
            return this;
        }

        /**
         * The job's priority: higher runs first; default 0.
         *
         * @param priority any int
         * @return this builder
         */
        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        /**
         * When the job may first run; default now (the database's clock).
         *
         * @param runAt an instant, or null for now
         * @return this builder
         */
        public Builder runAt(Instant runAt) {
            this.runAt = runAt;
            return this;
        }

        /**
         * Attempts before the job is marked failed; default {@value JobRequest#DEFAULT_MAX_ATTEMPTS}.
         *
         * @param maxAttempts 1 or more
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * A dedup key: at most one job ever exists per dedup key, so enqueueing another job with a
         * key already taken inserts nothing; default none.
         *
         * @param dedupKey non-blank text, or null for none
         * @return this builder
         */
        public Builder dedupKey(String dedupKey) {
            this.dedupKey = dedupKey;
            return this;
        }

        /**
         * Where the job comes from, stored as {@code jobs.job_source}; default {@link JobSource#API}.
         *
         * @param source not null
         * @return this builder
         */
        public Builder source(JobSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * The time limit of each attempt of this job, from 1 ms to 7 days; overrides the handler's
         * and the node's. When it passes, the handler's thread is interrupted and the attempt fails
         * ("timed out after 30s (job timeout)") and is retried like any failure.
         *
         * @param timeout from 1 ms to 7 days, or null for none of its own
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * Checks every field and builds the request.
         *
         * @return the request
         * @throws IllegalArgumentException naming the field, the value and what is allowed
         */
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
