package dev.lamplighter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `lamplighter run` checks the admin server's settings before it starts anything. */
class RunAdminSettingsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env) {
        return Main.execute(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "run", "--for", "1s");
    }

    @Test
    void a_port_without_a_long_enough_token_stops_run_with_one_line_naming_the_setting() {
        int code = run(Map.of("LAMPLIGHTER_ADMIN_PORT", "9464", "LAMPLIGHTER_ADMIN_TOKEN", "short",
                "LAMPLIGHTER_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/none"));
        assertThat(code).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("lamplighter: LAMPLIGHTER_ADMIN_TOKEN has 5 characters: expected 32 to 512 (e.g. openssl rand -hex 32)");
    }

    @Test
    void a_port_out_of_bounds_is_refused() {
        int code = run(Map.of("LAMPLIGHTER_ADMIN_PORT", "65536", "LAMPLIGHTER_ADMIN_TOKEN", "x".repeat(40),
                "LAMPLIGHTER_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/none"));
        assertThat(code).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("LAMPLIGHTER_ADMIN_PORT = 65536 is not allowed");
    }
}
