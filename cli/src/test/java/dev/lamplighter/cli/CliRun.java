package dev.lamplighter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Runs the CLI in-process against the test database with a test clock, and keeps what it printed. */
final class CliRun {

    private final TestDatabase db;
    private final Clock clock;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    CliRun(TestDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** The test database's URL, with user and password in it, as an operator would set it. */
    String url() {
        ConnectionInfo info = db.database().connectionInfo();
        return info.jdbcUrl() + (info.jdbcUrl().contains("?") ? "&" : "?") + "user=" + info.user()
                + (info.password() == null ? "" : "&password=" + info.password());
    }

    int run(String... args) {
        return runWith(Map.of("LAMPLIGHTER_DATABASE_URL", url(), "LAMPLIGHTER_MIGRATE", "false"), args);
    }

    int runWith(Map<String, String> env, String... args) {
        out.reset();
        err.reset();
        return Main.execute(env, clock, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    List<String> outLines() {
        return out().lines().toList();
    }

    List<String> errLines() {
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    JsonNode json() throws Exception {
        return new ObjectMapper().readTree(out());
    }
}
