package dev.lamplighter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.cli.db.CliSettings;
import dev.lamplighter.cli.db.DatabaseStarter;
import dev.lamplighter.worker.testing.LogCapture;
import dev.lamplighter.worker.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A second command over a data directory that a running node holds, and a start after a node was
 * killed with its embedded PostgreSQL left running: each says what is really going on.
 */
class HeldDataDirectoryTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Path dir;
    private int port;

    @BeforeEach
    void freshDirectory() throws IOException {
        dir = TestDatabase.tempDir("lamplighter-held-").resolve("pg");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
    }

    /** Whatever a failed test left running over its directory is stopped (SIGTERM, as an operator would). */
    @AfterEach
    void noServerLeftBehind() throws IOException {
        if (Files.exists(dir.resolve("postmaster.pid"))) {
            ProcessHandle.of(postmasterPid()).ifPresent(p -> {
                p.destroy();
                p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
            });
        }
    }

    private Map<String, String> env() {
        return Map.of("LAMPLIGHTER_DATA_DIR", dir.toString(), "LAMPLIGHTER_EMBEDDED_PORT", Integer.toString(port),
                "LAMPLIGHTER_POOL_SIZE", "3", "LAMPLIGHTER_WORKER_THREADS", "0");
    }

    private CliSettings config() {
        return CliSettings.fromEnvironment(env());
    }

    private int cli(String... args) {
        out.reset();
        err.reset();
        return Main.execute(env(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private List<String> errLines() {
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).trim());
    }

    @Test
    void operator_commands_over_a_held_data_directory_use_the_server_that_holds_it() {
        try (DatabaseStarter node = DatabaseStarter.start(config())) {
            node.database().jdbi().useHandle(h -> h.execute("""
                    INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron)
                    VALUES ('held', 'L', 'held', '0 * * * *')"""));
            assertThat(cli("status")).as(errLines().toString()).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("held", "(1 row)");
            assertThat(cli("disable", "held")).isZero();
            assertThat(cli("enable", "held")).isZero();
            assertThat(cli("trigger", "held")).isZero();
            assertThat(errLines()).isEmpty();
        }
    }

    @Test
    void a_second_node_over_a_held_data_directory_names_the_process_that_holds_it_and_exits_1() {
        try (DatabaseStarter node = DatabaseStarter.start(config())) {
            assertThat(cli("run", "--for", "1s")).isEqualTo(1);
            assertThat(errLines()).hasSize(1);
            assertThat(errLines().get(0)).contains("LAMPLIGHTER_DATA_DIR " + dir.toAbsolutePath(),
                    "is in use by process " + ProcessHandle.current().pid(), "listens on port");
            assertThat(cli("demo", "--for", "1s")).isEqualTo(1);
            assertThat(errLines()).hasSize(1);
        }
    }

    @Test
    void a_server_left_running_by_a_killed_node_serves_operator_commands_and_is_restarted_by_the_next_node() throws Exception {
        Process child = startNodeInAnotherJvm();
        long orphan;
        try {
            orphan = postmasterPid();
        } finally {
            child.destroyForcibly();   // kill -9: the JVM goes, its lock with it; the server stays
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).as("the orphaned postmaster is alive").isTrue();

        assertThat(cli("status")).as(errLines().toString()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("(0 rows)");

        try (LogCapture logs = new LogCapture(); DatabaseStarter node = DatabaseStarter.start(config())) {
            assertThat(logs.warnings()).hasSize(1);
            assertThat(logs.warnings().get(0)).contains("pid " + orphan, "left running", "by a node that is gone");
            // pg_ctl stop returns once the server has removed postmaster.pid, a moment before it exits
            ProcessHandle.of(orphan).ifPresent(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join());
            assertThat(postmasterPid()).isNotEqualTo(orphan);
            String user = node.database().jdbi().withHandle(h -> h.createQuery("SELECT current_user").mapTo(String.class).one());
            assertThat(user)
                    .isEqualTo("lamplighter");
        }
    }

    /** {@code lamplighter run} in a JVM of its own, returned once its node has started. */
    private Process startNodeInAnotherJvm() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run")
                .redirectErrorStream(true);
        pb.environment().putAll(env());
        Process child = pb.start();
        CountDownLatch started = new CountDownLatch(1);
        StringBuilder seen = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (seen) {
                        seen.append(line).append('\n');
                    }
                    if (line.contains("Starting Lamplighter node")) {
                        started.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the child was killed
            }
        }, "child-node-output");
        reader.setDaemon(true);
        reader.start();
        if (!started.await(90, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            synchronized (seen) {
                throw new AssertionError("the child node did not start:\n" + seen);
            }
        }
        return child;
    }
}
