package dev.lamplighter.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.internal.config.EnvironmentConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentConfigTest {

    private static LamplighterConfig from(Map<String, String> env) {
        return EnvironmentConfig.fromEnvironment(env).build();
    }

    @Test
    void defaults_apply_when_nothing_is_set() {
        LamplighterConfig c = from(Map.of());
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.launcherRetryBase()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.workerThreads()).isEqualTo(4);
        assertThat(c.migrate()).isTrue();
    }

    @Test
    void every_variable_is_read() {
        LamplighterConfig c = from(Map.ofEntries(
                Map.entry("LAMPLIGHTER_MIGRATE", "false"),
                Map.entry("LAMPLIGHTER_SCHEDULER", "FALSE"),
                Map.entry("LAMPLIGHTER_POLL_INTERVAL", "15s"),
                Map.entry("LAMPLIGHTER_LAUNCHER_RETRY_BASE", "PT30S"),
                Map.entry("LAMPLIGHTER_WORKER_THREADS", "16"),
                Map.entry("LAMPLIGHTER_WORKER_POLL_INTERVAL", "500ms"),
                Map.entry("LAMPLIGHTER_JOB_LEASE", "10m"),
                Map.entry("LAMPLIGHTER_JOB_RETRY_BASE", "1s"),
                Map.entry("LAMPLIGHTER_JOB_RETRY_MAX", "2h"),
                Map.entry("LAMPLIGHTER_NODE_ID", "worker-7")));
        assertThat(c.migrate()).isFalse();
        assertThat(c.schedulerEnabled()).isFalse();
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.launcherRetryBase()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.workerThreads()).isEqualTo(16);
        assertThat(c.workerPollInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.jobLease()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.jobRetryBase()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.jobRetryMax()).isEqualTo(Duration.ofHours(2));
        assertThat(c.nodeId()).isEqualTo("worker-7");
    }

    @Test
    void the_public_reader_of_the_environment_gives_the_same_settings() {
        Map<String, String> env = Map.of("LAMPLIGHTER_WORKER_THREADS", "8", "LAMPLIGHTER_NODE_ID", "svc-1");
        LamplighterConfig c = LamplighterConfig.fromEnvironment(env);
        assertThat(c.workerThreads()).isEqualTo(8);
        assertThat(c.nodeId()).isEqualTo("svc-1");
        assertThat(LamplighterConfig.fromEnvironment(Map.of()).toString()).isEqualTo(from(Map.of()).toString());
    }

    @Test
    void a_builder_setting_out_of_bounds_names_the_setting_the_value_and_the_bounds() {
        assertThatThrownBy(() -> LamplighterConfig.builder().shutdownTimeout(Duration.ofHours(2)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shutdownTimeout (LAMPLIGHTER_SHUTDOWN_TIMEOUT) = 2h is not allowed: expected from 0s to 1h");
        assertThatThrownBy(() -> LamplighterConfig.builder().jobRetryBase(Duration.ofMinutes(2)).jobRetryMax(Duration.ofMinutes(1)).build())
                .hasMessage("jobRetryMax (LAMPLIGHTER_JOB_RETRY_MAX) = 1min is not allowed: expected from 2min to 168h");
        assertThatThrownBy(() -> LamplighterConfig.builder().nodeId(null).build())
                .hasMessageStartingWith("nodeId (LAMPLIGHTER_NODE_ID) = null is not allowed");
    }

    @Test
    void a_malformed_value_names_the_variable_the_value_and_what_is_allowed() {
        assertThatThrownBy(() -> from(Map.of("LAMPLIGHTER_POLL_INTERVAL", "soon")))
                .hasMessage("LAMPLIGHTER_POLL_INTERVAL = \"soon\" is not allowed: expected a duration such as 500ms, 30s, 2m, 1h or PT1M");
        assertThatThrownBy(() -> from(Map.of("LAMPLIGHTER_WORKER_THREADS", "many")))
                .hasMessage("LAMPLIGHTER_WORKER_THREADS = \"many\" is not allowed: expected a whole number");
        assertThatThrownBy(() -> from(Map.of("LAMPLIGHTER_MIGRATE", "yes")))
                .hasMessage("LAMPLIGHTER_MIGRATE = \"yes\" is not allowed: expected true or false");
    }

    @Test
    void a_value_out_of_bounds_is_refused_not_clamped() {
        assertThatThrownBy(() -> from(Map.of("LAMPLIGHTER_POLL_INTERVAL", "500ms")))
                .hasMessage("pollInterval (LAMPLIGHTER_POLL_INTERVAL) = 500ms is not allowed: expected from 1s to 1h");
        assertThatThrownBy(() -> from(Map.of("LAMPLIGHTER_WORKER_THREADS", "1000")))
                .hasMessage("workerThreads (LAMPLIGHTER_WORKER_THREADS) = 1000 is not allowed: expected from 0 to 256");
        assertThatThrownBy(() -> from(Map.of("LAMPLIGHTER_NODE_ID", "a b")))
                .hasMessageStartingWith("nodeId (LAMPLIGHTER_NODE_ID) = \"a b\" is not allowed");
    }

    @Test
    void the_worker_prefetch_cap_defaults_to_200_or_twice_the_threads_and_both_batching_settings_are_bounded() {
        LamplighterConfig c = from(Map.of("LAMPLIGHTER_WORKER_THREADS", "8"));
        assertThat(c.workerPrefetch()).isEqualTo(1000);
        assertThat(from(Map.of("LAMPLIGHTER_WORKER_THREADS", "256")).workerPrefetch()).isEqualTo(1000);
        assertThat(c.workerCompletionFlush()).isEqualTo(Duration.ofMillis(10));
        LamplighterConfig set = from(Map.of("LAMPLIGHTER_WORKER_PREFETCH", "0", "LAMPLIGHTER_WORKER_COMPLETION_FLUSH", "50ms"));
        assertThat(set.workerPrefetch()).isZero();
        assertThat(set.workerCompletionFlush()).isEqualTo(Duration.ofMillis(50));
        assertThatThrownBy(() -> from(Map.of("LAMPLIGHTER_WORKER_PREFETCH", "5001")))
                .hasMessage("workerPrefetch (LAMPLIGHTER_WORKER_PREFETCH) = 5001 is not allowed: expected from 0 to 5000");
        assertThatThrownBy(() -> from(Map.of("LAMPLIGHTER_WORKER_COMPLETION_FLUSH", "2s")))
                .hasMessage("workerCompletionFlush (LAMPLIGHTER_WORKER_COMPLETION_FLUSH) = 2s is not allowed: "
                        + "expected from 0s to 1s");
    }

    @Test
    void listen_and_the_poll_chunk_size_are_read_and_bounded() {
        LamplighterConfig defaults = from(Map.of());
        assertThat(defaults.listen()).isTrue();
        assertThat(defaults.pollChunkSize()).isEqualTo(500);
        LamplighterConfig set = from(Map.of("LAMPLIGHTER_LISTEN", "false", "LAMPLIGHTER_POLL_CHUNK_SIZE", "1"));
        assertThat(set.listen()).isFalse();
        assertThat(set.pollChunkSize()).isEqualTo(1);
        assertThat(dev.lamplighter.worker.internal.poll.PollerSettings.from(set).chunkSize())
                .as("the poll loop checks as many schedules per transaction as set").isEqualTo(1);
        assertThatThrownBy(() -> from(Map.of("LAMPLIGHTER_LISTEN", "off")))
                .hasMessage("LAMPLIGHTER_LISTEN = \"off\" is not allowed: expected true or false");
        assertThatThrownBy(() -> from(Map.of("LAMPLIGHTER_POLL_CHUNK_SIZE", "0")))
                .hasMessage("pollChunkSize (LAMPLIGHTER_POLL_CHUNK_SIZE) = 0 is not allowed: expected from 1 to 10000");
        assertThatThrownBy(() -> from(Map.of("LAMPLIGHTER_POLL_CHUNK_SIZE", "10001")))
                .hasMessage("pollChunkSize (LAMPLIGHTER_POLL_CHUNK_SIZE) = 10001 is not allowed: expected from 1 to 10000");
        assertThatThrownBy(() -> from(Map.of("LAMPLIGHTER_POLL_CHUNK_SIZE", "lots")))
                .hasMessage("LAMPLIGHTER_POLL_CHUNK_SIZE = \"lots\" is not allowed: expected a whole number");
    }
}
