package dev.lamplighter.worker.internal.config;

import dev.lamplighter.worker.LamplighterConfig;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads {@code LAMPLIGHTER_*} environment variables into a {@link LamplighterConfig.Builder}.
 * An unset or blank variable keeps the default; a malformed one is an error that names the
 * variable, the value and what is allowed. Bounds are checked by {@link LamplighterConfig.Builder#build()}.
 */
public final class EnvironmentConfig {

    private EnvironmentConfig() {
    }

    public static LamplighterConfig.Builder fromEnvironment(Map<String, String> env) {
        LamplighterConfig.Builder b = LamplighterConfig.builder();
        text(env, "LAMPLIGHTER_DATABASE_URL", b::databaseUrl);
        text(env, "LAMPLIGHTER_DATA_DIR", v -> b.dataDirectory(Path.of(v)));
        integer(env, "LAMPLIGHTER_EMBEDDED_PORT", b::embeddedPort);
        bool(env, "LAMPLIGHTER_MIGRATE", b::migrate);
        bool(env, "LAMPLIGHTER_SCHEDULER", b::schedulerEnabled);
        duration(env, "LAMPLIGHTER_POLL_INTERVAL", b::pollInterval);
        duration(env, "LAMPLIGHTER_LAUNCHER_RETRY_BASE", b::launcherRetryBase);
        integer(env, "LAMPLIGHTER_WORKER_THREADS", b::workerThreads);
        duration(env, "LAMPLIGHTER_WORKER_POLL_INTERVAL", b::workerPollInterval);
        duration(env, "LAMPLIGHTER_JOB_LEASE", b::jobLease);
        duration(env, "LAMPLIGHTER_JOB_RETRY_BASE", b::jobRetryBase);
        duration(env, "LAMPLIGHTER_JOB_RETRY_MAX", b::jobRetryMax);
        duration(env, "LAMPLIGHTER_JOB_TIMEOUT", b::jobTimeout);
        duration(env, "LAMPLIGHTER_SHUTDOWN_TIMEOUT", b::shutdownTimeout);
        integer(env, "LAMPLIGHTER_POOL_SIZE", b::poolSize);
        text(env, "LAMPLIGHTER_NODE_ID", b::nodeId);
        text(env, "LAMPLIGHTER_CONDITION_ROLE", b::conditionRole);
        text(env, "LAMPLIGHTER_CAPABILITIES", v -> b.capabilities(
                java.util.Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList()));
        return b;
    }

    private static void text(Map<String, String> env, String name, Consumer<String> set) {
        String v = env.get(name);
        if (v != null && !v.isBlank()) {
            set.accept(v.trim());
        }
    }

    private static void duration(Map<String, String> env, String name, Consumer<java.time.Duration> set) {
        text(env, name, v -> set.accept(Durations.parse(name, v)));
    }

    private static void integer(Map<String, String> env, String name, Consumer<Integer> set) {
        text(env, name, v -> {
            try {
                set.accept(Integer.parseInt(v));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " = \"" + v + "\" is not allowed: expected a whole number", e);
            }
        });
    }

    private static void bool(Map<String, String> env, String name, Consumer<Boolean> set) {
        text(env, name, v -> {
            switch (v.toLowerCase(Locale.ROOT)) {
                case "true" -> set.accept(true);
                case "false" -> set.accept(false);
                default -> throw new IllegalArgumentException(name + " = \"" + v + "\" is not allowed: expected true or false");
            }
        });
    }
}
