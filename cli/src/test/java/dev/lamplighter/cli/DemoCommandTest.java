package dev.lamplighter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code lamplighter demo} on the embedded default, as a user runs it. */
class DemoCommandTest {

    @Test
    void the_demos_last_line_says_the_embedded_server_has_stopped_and_offers_no_dead_psql_url() throws IOException {
        Path dir = TestDatabase.tempDir("lamplighter-demo-").resolve("pg");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(Map.of("LAMPLIGHTER_DATA_DIR", dir.toString(), "LAMPLIGHTER_EMBEDDED_PORT", Integer.toString(port),
                        "LAMPLIGHTER_POOL_SIZE", "5"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                "demo", "--for", "1s");
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).anyMatch(l -> l.contains("Look inside while it runs:  psql postgresql://lamplighter@localhost:" + port
                + "/lamplighter"));
        String last = lines.get(lines.size() - 1);
        assertThat(last).startsWith("The embedded PostgreSQL has stopped; the data stays in " + dir).doesNotContain("psql postgresql://");
        assertThat(dir.resolve("postmaster.pid")).as("the server is really stopped").doesNotExist();
    }
}
