package dev.lamplighter.worker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.internal.config.EnvironmentConfig;
import dev.lamplighter.worker.internal.poll.PollerSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code LAMPLIGHTER_CONDITION_ROLE}: its default, how it reaches the poll loop, and a bad value. */
class ConditionRoleSettingTest {

    @Test
    void sql_conditions_run_as_lamplighter_condition_unless_the_setting_names_another_role() {
        assertThat(EnvironmentConfig.fromEnvironment(Map.of()).build().conditionRole()).isEqualTo("lamplighter_condition");
        LamplighterConfig config = EnvironmentConfig.fromEnvironment(Map.of("LAMPLIGHTER_CONDITION_ROLE", "app_conditions")).build();
        assertThat(config.conditionRole()).isEqualTo("app_conditions");
        assertThat(PollerSettings.from(config).conditionRole()).isEqualTo("app_conditions");
        assertThat(config.toBuilder().build().conditionRole()).isEqualTo("app_conditions");
    }

    @Test
    void a_condition_role_that_is_not_a_role_name_is_refused_with_the_setting_and_what_is_allowed() {
        assertThatThrownBy(() -> EnvironmentConfig.fromEnvironment(Map.of("LAMPLIGHTER_CONDITION_ROLE", "x; DROP ROLE y")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("conditionRole (LAMPLIGHTER_CONDITION_ROLE) = \"x; DROP ROLE y\" is not allowed: expected a role name");
    }
}
