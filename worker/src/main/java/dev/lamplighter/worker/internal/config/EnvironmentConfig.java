package dev.lamplighter.worker.internal.config;

import dev.lamplighter.worker.LamplighterConfig;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads {@code LAMPLIGHTER_*} environment variables into a {@link LamplighterConfig.Builder}.
 * An unset or blank variable keeps the default; a malformed one is an error that names the
 * variable, the value and what is allowed. Bounds are checked by {@link LamplighterConfig.Builder#build()}.
 * Only the node's settings: where the database is ({@code LAMPLIGHTER_DATABASE_URL}, the embedded
 * server's {@code LAMPLIGHTER_DATA_DIR} and {@code LAMPLIGHTER_EMBEDDED_PORT}, the pool's
 * {@code LAMPLIGHTER_POOL_SIZE}) is the CLI's, which reads them with the helpers below.
 */
public final class EnvironmentConfig {

    private EnvironmentConfig() {
    }

    /** The node settings in {@code env} over the defaults; bounds are checked by {@code build()}. */
    public static LamplighterConfig.Builder fromEnvironment(Map<String, String> env) {
        LamplighterConfig.Builder b = LamplighterConfig.builder();
        bool(env, "LAMPLIGHTER_MIGRATE", b::migrate);
        bool(env, "LAMPLIGHTER_SCHEDULER", b::schedulerEnabled);
        duration(env, "LAMPLIGHTER_POLL_INTERVAL", b::pollInterval);
        duration(env, "LAMPLIGHTER_LAUNCHER_RETRY_BASE", b::launcherRetryBase);
        integer(env, "LAMPLIGHTER_WORKER_THREADS", b::workerThreads);
        duration(env, "LAMPLIGHTER_WORKER_POLL_INTERVAL", b::workerPollInterval);
        integer(env, "LAMPLIGHTER_WORKER_PREFETCH", b::workerPrefetch);
        duration(env, "LAMPLIGHTER_WORKER_COMPLETION_FLUSH", b::workerCompletionFlush);
        duration(env, "LAMPLIGHTER_JOB_LEASE", b::jobLease);
        duration(env, "LAMPLIGHTER_JOB_RETRY_BASE", b::jobRetryBase);
        duration(env, "LAMPLIGHTER_JOB_RETRY_MAX", b::jobRetryMax);
        duration(env, "LAMPLIGHTER_JOB_TIMEOUT", b::jobTimeout);
        duration(env, "LAMPLIGHTER_SHUTDOWN_TIMEOUT", b::shutdownTimeout);
        bool(env, "LAMPLIGHTER_RETENTION", b::retention);
        text(env, "LAMPLIGHTER_RETAIN_COMPLETED", v -> b.retainCompleted(retentionWindow("LAMPLIGHTER_RETAIN_COMPLETED", v)));
        text(env, "LAMPLIGHTER_RETAIN_FAILED", v -> b.retainFailed(retentionWindow("LAMPLIGHTER_RETAIN_FAILED", v)));
        text(env, "LAMPLIGHTER_RETAIN_DECISIONS", v -> b.retainDecisions(retentionWindow("LAMPLIGHTER_RETAIN_DECISIONS", v)));
        integer(env, "LAMPLIGHTER_RETENTION_BATCH", b::retentionBatch);
        duration(env, "LAMPLIGHTER_RETENTION_INTERVAL", b::retentionInterval);
        text(env, "LAMPLIGHTER_NODE_ID", b::nodeId);
        text(env, "LAMPLIGHTER_CONDITION_ROLE", b::conditionRole);
        text(env, "LAMPLIGHTER_CAPABILITIES", v -> b.capabilities(
                java.util.Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList()));
        bool(env, "LAMPLIGHTER_LISTEN", b::listen);
        integer(env, "LAMPLIGHTER_POLL_CHUNK_SIZE", b::pollChunkSize);
        b.escalation(escalation(env));
        return b;
    }

    /** The {@code LAMPLIGHTER_ESCALATION_*} settings (and {@code LAMPLIGHTER_ESCALATE_FAILED_JOBS}), checked. */
    public static dev.lamplighter.worker.escalation.EscalationConfig escalation(Map<String, String> env) {
        dev.lamplighter.worker.escalation.EscalationConfig.Builder e = dev.lamplighter.worker.escalation.EscalationConfig.builder();
        text(env, "LAMPLIGHTER_ESCALATION_WEBHOOK_URL", e::webhookUrl);
        text(env, "LAMPLIGHTER_ESCALATION_WEBHOOK_HEADER", e::webhookHeader);
        bool(env, "LAMPLIGHTER_ESCALATE_FAILED_JOBS", e::failedJobs);
        duration(env, "LAMPLIGHTER_ESCALATION_FAILED_JOBS_INTERVAL", e::failedJobsInterval);
        duration(env, "LAMPLIGHTER_ESCALATION_WEBHOOK_TIMEOUT", e::webhookTimeout);
        integer(env, "LAMPLIGHTER_ESCALATION_WEBHOOK_ATTEMPTS", e::webhookAttempts);
        duration(env, "LAMPLIGHTER_ESCALATION_WEBHOOK_RETRY_BASE", e::webhookRetryBase);
        return e.build();
    }

    /** Passes the trimmed value of {@code name} on, unless it is unset or blank. */
    public static void text(Map<String, String> env, String name, Consumer<String> set) {
        String v = env.get(name);
        if (v != null && !v.isBlank()) {
            set.accept(v.trim());
        }
    }

    /** Passes the duration in {@code name} on (see {@link Durations#parse}), unless unset or blank. */
    public static void duration(Map<String, String> env, String name, Consumer<java.time.Duration> set) {
        text(env, name, v -> set.accept(Durations.parse(name, v)));
    }

    /**
     * A retention window as written: {@code forever} ({@link LamplighterConfig#RETAIN_FOREVER}, any
     * case) or a duration ({@link Durations#parse}); bounds are checked by {@code build()}.
     *
     * @throws IllegalArgumentException naming the setting, the value and what is allowed
     */
    public static java.time.Duration retentionWindow(String setting, String text) {
        if (text != null && text.strip().equalsIgnoreCase("forever")) {
            return LamplighterConfig.RETAIN_FOREVER;
        }
        try {
            return Durations.parse(setting, text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace("expected a duration such as",
                    "expected forever or a duration such as"), e);
        }
    }

    /** Passes the whole number in {@code name} on, unless unset or blank; else names the variable and value. */
    public static void integer(Map<String, String> env, String name, Consumer<Integer> set) {
        text(env, name, v -> {
            try {
                set.accept(Integer.parseInt(v));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " = \"" + v + "\" is not allowed: expected a whole number", e);
            }
        });
    }

    /** Passes {@code true} or {@code false} in {@code name} on, unless unset or blank; else names the variable and value. */
    public static void bool(Map<String, String> env, String name, Consumer<Boolean> set) {
        text(env, name, v -> {
            switch (v.toLowerCase(Locale.ROOT)) {
                case "true" -> set.accept(true);
                case "false" -> set.accept(false);
                default -> throw new IllegalArgumentException(name + " = \"" + v + "\" is not allowed: expected true or false");
            }
        });
    }
}
