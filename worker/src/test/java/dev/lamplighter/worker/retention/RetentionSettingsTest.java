package dev.lamplighter.worker.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.internal.config.EnvironmentConfig;
import dev.lamplighter.worker.internal.retention.RetentionSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The retention settings: defaults, the environment, and bad values refused with the setting, the value and what is allowed. */
class RetentionSettingsTest {

    private static LamplighterConfig env(Map<String, String> variables) {
        return LamplighterConfig.fromEnvironment(variables);
    }

    @Test
    void retention_is_on_by_default_with_seven_days_for_completed_and_thirty_for_failed_jobs_and_decisions() {
        LamplighterConfig c = LamplighterConfig.builder().build();
        assertThat(c.retention()).isTrue();
        assertThat(c.retainCompleted()).isEqualTo(Duration.ofDays(7));
        assertThat(c.retainFailed()).isEqualTo(Duration.ofDays(30));
        assertThat(c.retainDecisions()).isEqualTo(Duration.ofDays(30));
        assertThat(c.retentionBatch()).isEqualTo(1000);
        assertThat(c.retentionInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.toString()).contains("retention=true, retainCompleted=168h, retainFailed=720h, retainDecisions=720h, "
                + "retentionBatch=1000, retentionInterval=5min");
    }

    @Test
    void every_retention_variable_is_read_and_forever_keeps_a_kind() {
        LamplighterConfig c = env(Map.of(
                "LAMPLIGHTER_RETENTION", "false",
                "LAMPLIGHTER_RETAIN_COMPLETED", "2d",
                "LAMPLIGHTER_RETAIN_FAILED", "Forever",
                "LAMPLIGHTER_RETAIN_DECISIONS", "PT12H",
                "LAMPLIGHTER_RETENTION_BATCH", "250",
                "LAMPLIGHTER_RETENTION_INTERVAL", "1m"));
        assertThat(c.retention()).isFalse();
        assertThat(c.retainCompleted()).isEqualTo(Duration.ofDays(2));
        assertThat(c.retainFailed()).isEqualTo(LamplighterConfig.RETAIN_FOREVER);
        assertThat(c.retainDecisions()).isEqualTo(Duration.ofHours(12));
        assertThat(c.retentionBatch()).isEqualTo(250);
        assertThat(c.retentionInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.toString()).contains("retainFailed=forever");

        RetentionSettings s = RetentionSettings.from(c);
        assertThat(s.completed()).contains(Duration.ofDays(2));
        assertThat(s.failed()).isEmpty();
        assertThat(s.lockKey()).isNotEqualTo(c.advisoryLockKey());
    }

    @Test
    void a_window_out_of_bounds_is_refused_naming_the_setting_the_value_and_the_bounds() {
        assertThatThrownBy(() -> LamplighterConfig.builder().retainCompleted(Duration.ofMinutes(30)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retainCompleted (LAMPLIGHTER_RETAIN_COMPLETED) = 30min is not allowed: "
                        + "expected from 1h to 3650d, or forever (RETAIN_FOREVER) to keep them");
        assertThatThrownBy(() -> env(Map.of("LAMPLIGHTER_RETAIN_FAILED", "4000d")))
                .hasMessage("retainFailed (LAMPLIGHTER_RETAIN_FAILED) = 4000d is not allowed: "
                        + "expected from 1h to 3650d, or forever (RETAIN_FOREVER) to keep them");
        assertThatThrownBy(() -> LamplighterConfig.builder().retainDecisions(null).build())
                .hasMessageStartingWith("retainDecisions (LAMPLIGHTER_RETAIN_DECISIONS) = null is not allowed");
        assertThatThrownBy(() -> LamplighterConfig.builder().retainDecisions(Duration.ofSeconds(Long.MAX_VALUE)).build())
                .hasMessageStartingWith("retainDecisions (LAMPLIGHTER_RETAIN_DECISIONS) = 106751991167300d is not allowed");
    }

    @Test
    void a_window_that_is_not_a_duration_is_refused_saying_forever_is_allowed() {
        assertThatThrownBy(() -> env(Map.of("LAMPLIGHTER_RETAIN_COMPLETED", "a week")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LAMPLIGHTER_RETAIN_COMPLETED = \"a week\" is not allowed: "
                        + "expected forever or a duration such as 500ms, 30s, 2m, 1h or PT1M");
        assertThatThrownBy(() -> env(Map.of("LAMPLIGHTER_RETENTION", "sometimes")))
                .hasMessage("LAMPLIGHTER_RETENTION = \"sometimes\" is not allowed: expected true or false");
    }

    @Test
    void a_batch_or_interval_out_of_bounds_is_refused_naming_the_setting_the_value_and_the_bounds() {
        assertThatThrownBy(() -> env(Map.of("LAMPLIGHTER_RETENTION_BATCH", "5")))
                .hasMessage("retentionBatch (LAMPLIGHTER_RETENTION_BATCH) = 5 is not allowed: expected from 10 to 10000");
        assertThatThrownBy(() -> env(Map.of("LAMPLIGHTER_RETENTION_BATCH", "lots")))
                .hasMessage("LAMPLIGHTER_RETENTION_BATCH = \"lots\" is not allowed: expected a whole number");
        assertThatThrownBy(() -> LamplighterConfig.builder().retentionInterval(Duration.ofSeconds(1)).build())
                .hasMessage("retentionInterval (LAMPLIGHTER_RETENTION_INTERVAL) = 1s is not allowed: expected from 10s to 24h");
    }
}
