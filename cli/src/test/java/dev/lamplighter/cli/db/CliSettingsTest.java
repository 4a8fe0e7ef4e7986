package dev.lamplighter.cli.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliSettingsTest {

    @Test
    void the_database_variables_are_the_clis_and_keep_their_defaults() {
        CliSettings s = CliSettings.fromEnvironment(Map.of());
        assertThat(s.databaseUrl()).isEmpty();
        assertThat(s.dataDirectory()).isEqualTo(Path.of(System.getProperty("user.home"), ".lamplighter", "pg"));
        assertThat(s.embeddedPort()).isEqualTo(54329);
        assertThat(s.poolSize()).isEqualTo(10);
        assertThat(s.node().workerThreads()).isEqualTo(4);
    }

    @Test
    void every_database_variable_is_read_and_the_password_stays_out_of_the_summary() {
        CliSettings s = CliSettings.fromEnvironment(Map.of(
                "LAMPLIGHTER_DATABASE_URL", "postgresql://app:secret@db:5432/app",
                "LAMPLIGHTER_DATA_DIR", "/tmp/ll",
                "LAMPLIGHTER_EMBEDDED_PORT", "0",
                "LAMPLIGHTER_POOL_SIZE", "20",
                "LAMPLIGHTER_NODE_ID", "worker-7"));
        assertThat(s.databaseUrl()).contains("postgresql://app:secret@db:5432/app");
        assertThat(s.dataDirectory()).isEqualTo(Path.of("/tmp/ll"));
        assertThat(s.embeddedPort()).isZero();
        assertThat(s.poolSize()).isEqualTo(20);
        assertThat(s.node().nodeId()).isEqualTo("worker-7");
        assertThat(s.toString()).doesNotContain("secret");
    }

    @Test
    void a_bad_database_setting_names_the_variable_the_value_and_what_is_allowed() {
        assertThatThrownBy(() -> CliSettings.fromEnvironment(Map.of("LAMPLIGHTER_POOL_SIZE", "2")))
                .hasMessage("poolSize (LAMPLIGHTER_POOL_SIZE) = 2 is not allowed: expected from 3 to 200");
        assertThatThrownBy(() -> CliSettings.fromEnvironment(Map.of("LAMPLIGHTER_EMBEDDED_PORT", "70000")))
                .hasMessage("embeddedPort (LAMPLIGHTER_EMBEDDED_PORT) = 70000 is not allowed: expected from 0 to 65535");
        assertThatThrownBy(() -> CliSettings.fromEnvironment(Map.of("LAMPLIGHTER_EMBEDDED_PORT", "high")))
                .hasMessage("LAMPLIGHTER_EMBEDDED_PORT = \"high\" is not allowed: expected a whole number");
    }
}
