package dev.lamplighter.worker.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.worker.LamplighterConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Durations too long to hold are refused with a line that names the setting and the value, not an overflow. */
class HugeDurationSettingTest {

    @Test
    void a_number_of_seconds_beyond_64_bits_names_the_setting_and_the_value() {
        assertThatThrownBy(() -> LamplighterConfig.fromEnvironment(Map.of("LAMPLIGHTER_POLL_INTERVAL", "99999999999999999999s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LAMPLIGHTER_POLL_INTERVAL = \"99999999999999999999s\" is not allowed: too long to hold; "
                        + "expected a duration such as 500ms, 30s, 2m, 1h or PT1M");
    }

    @Test
    void days_beyond_what_a_duration_holds_name_the_setting_and_the_value() {
        assertThatThrownBy(() -> LamplighterConfig.fromEnvironment(Map.of("LAMPLIGHTER_LAUNCHER_RETRY_BASE",
                "999999999999999d")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("LAMPLIGHTER_LAUNCHER_RETRY_BASE = \"999999999999999d\" is not allowed: too long to hold");
        assertThatThrownBy(() -> LamplighterConfig.fromEnvironment(Map.of("LAMPLIGHTER_LAUNCHER_RETRY_BASE", "9999999999999d")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("launcherRetryBase (LAMPLIGHTER_LAUNCHER_RETRY_BASE) = 9999999999999d is not allowed: "
                        + "expected from 1s to 1h");
    }

    @Test
    void a_duration_beyond_what_milliseconds_hold_is_shown_in_days() {
        assertThatThrownBy(() -> LamplighterConfig.fromEnvironment(Map.of("LAMPLIGHTER_JOB_LEASE", "PT9999999999999H")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jobLease (LAMPLIGHTER_JOB_LEASE) = 416666666666d is not allowed: expected from 5s to 24h");
    }
}
