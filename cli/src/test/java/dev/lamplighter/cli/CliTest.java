package dev.lamplighter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamplighter.worker.internal.db.Database;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI in-process, against the test database (never the user's ~/.lamplighter). */
class CliTest {

    private final TestDatabase db = TestDatabase.get();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void sample() {
        db.reset();
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, enabled, retry_count, last_error)
                VALUES ('epistemic_remeasurement', 'EpistemicRemeasurementLauncher', 'epistemic_remeasurement',
                        '0 * * * *', false, 5, 'IllegalStateException: boom');
                INSERT INTO lamplighter.jobs (job_type, status, schedule_name, is_system_job, job_source)
                VALUES ('epistemic_remeasurement', 'completed', 'epistemic_remeasurement', true, 'scheduled_task');
                INSERT INTO lamplighter.decision_log (schedule_name, slot, outcome, reason, figures)
                VALUES ('epistemic_remeasurement', now(), 'skipped', 'Delta (5) below threshold (10)', '{"delta": 5}')"""));
    }

    /** The test database's URL, with user and password in it, as an operator would set it. */
    private String url() {
        ConnectionInfo info = db.database().connectionInfo();
        return info.jdbcUrl() + (info.jdbcUrl().contains("?") ? "&" : "?") + "user=" + info.user()
                + (info.password() == null ? "" : "&password=" + info.password());
    }

    private int run(String... args) {
        return runWith(Map.of("LAMPLIGHTER_DATABASE_URL", url(), "LAMPLIGHTER_MIGRATE", "false"), args);
    }

    private int runWith(Map<String, String> env, String... args) {
        out.reset();
        err.reset();
        return Main.execute(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private List<String> errLines() {
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void status_lists_schedules_with_their_last_error() {
        assertThat(run("status")).isZero();
        assertThat(out()).contains("epistemic_remeasurement", "0 * * * *", "IllegalStateException: boom", "(1 row)");
    }

    @Test
    void enable_resets_retries_and_trigger_makes_the_schedule_due() {
        assertThat(run("enable", "epistemic_remeasurement")).isZero();
        assertThat(run("trigger", "epistemic_remeasurement")).isZero();
        Map<String, Object> row = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT enabled, retry_count, next_run <= now() AS due FROM lamplighter.scheduled_jobs").mapToMap().one());
        assertThat(row).containsEntry("enabled", true).containsEntry("retry_count", 0).containsEntry("due", true);
        assertThat(run("disable", "epistemic_remeasurement")).isZero();
        boolean enabled = db.jdbi().withHandle(h -> h.createQuery("SELECT enabled FROM lamplighter.scheduled_jobs")
                .mapTo(Boolean.class).one());
        assertThat(enabled).isFalse();
    }

    @Test
    void history_and_decisions_show_jobs_and_checks() {
        assertThat(run("history", "--limit", "5")).isZero();
        assertThat(out()).contains("completed", "scheduled_task");
        assertThat(run("history", "--schedule", "epistemic_remeasurement")).isZero();
        assertThat(out()).contains("completed", "(1 row)");
        assertThat(run("decisions", "epistemic_remeasurement")).isZero();
        assertThat(out()).contains("Delta (5) below threshold (10)", "{\"delta\": 5}");
    }

    @Test
    void an_unknown_schedule_is_an_error_that_lists_the_known_ones() {
        assertThat(run("trigger", "nope")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("no schedule named 'nope': expected one of [epistemic_remeasurement]");
    }

    @Test
    void a_bad_setting_is_refused_with_its_name_value_and_bounds() {
        int code = Main.execute(Map.of("LAMPLIGHTER_POLL_INTERVAL", "2d"), new PrintStream(out), new PrintStream(err), "status");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("pollInterval (LAMPLIGHTER_POLL_INTERVAL) = 48h is not allowed: expected from 1s to 1h");
    }

    @Test
    void trigger_on_a_disabled_schedule_says_it_is_disabled_and_exits_1() {
        assertThat(run("trigger", "epistemic_remeasurement")).isEqualTo(1);
        assertThat(errLines()).containsExactly("lamplighter: schedule 'epistemic_remeasurement' is disabled, so a trigger "
                + "would do nothing: enable it first (lamplighter enable epistemic_remeasurement)");
        boolean due = db.jdbi().withHandle(h -> h.createQuery("SELECT pending_trigger IS NOT NULL FROM lamplighter.scheduled_jobs")
                .mapTo(Boolean.class).one());
        assertThat(due).as("not triggered").isFalse();
    }

    @Test
    void history_of_an_unknown_schedule_exits_1_like_decisions() {
        assertThat(run("history", "--schedule", "nope")).isEqualTo(1);
        assertThat(errLines()).containsExactly("lamplighter: no schedule named 'nope': expected one of [epistemic_remeasurement]");
        assertThat(run("decisions", "nope")).isEqualTo(1);
    }

    @Test
    void decisions_show_long_figures_whole_in_the_table_and_as_json() throws Exception {
        db.jdbi().useHandle(h -> h.execute("""
                UPDATE lamplighter.decision_log SET figures = '{"delta": 5, "threshold": 10, "counter": "vocabulary_changes",
                    "consumed": 1200, "value": 1205, "last_claimed_epoch": 41, "note": "the end of the figures"}'"""));
        assertThat(run("decisions", "epistemic_remeasurement")).isZero();
        String figures = db.jdbi().withHandle(h -> h.createQuery("SELECT CAST(figures AS text) FROM lamplighter.decision_log")
                .mapTo(String.class).one());
        assertThat(figures.length()).isGreaterThan(100);
        String shown = out().lines().skip(2).filter(l -> l.contains(" | "))
                .map(l -> l.split(" \\| ", -1)[3].strip()).collect(java.util.stream.Collectors.joining(" "));
        assertThat(shown).as("the figures column, its wrapped lines joined").isEqualTo(figures);
        assertThat(run("decisions", "epistemic_remeasurement", "--json")).isZero();
        JsonNode rows = new ObjectMapper().readTree(out());
        assertThat(rows.size()).isEqualTo(1);
        assertThat(rows.get(0).get("figures").get("note").asText()).isEqualTo("the end of the figures");
        assertThat(rows.get(0).get("outcome").asText()).isEqualTo("skipped");
        assertThat(run("status", "--json")).isZero();
        assertThat(new ObjectMapper().readTree(out()).get(0).get("name").asText()).isEqualTo("epistemic_remeasurement");
        assertThat(run("history", "--json")).isZero();
        assertThat(new ObjectMapper().readTree(out()).get(0).get("status").asText()).isEqualTo("completed");
    }

    @Test
    void read_only_commands_do_not_migrate_and_say_in_one_line_that_the_schema_is_missing() {
        db.jdbi().useHandle(h -> {
            h.execute("DROP DATABASE IF EXISTS cli_unmigrated");
            h.execute("CREATE DATABASE cli_unmigrated");
        });
        String url = url().replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1cli_unmigrated");
        for (String command : List.of("status", "history", "decisions")) {
            String[] args = command.equals("decisions") ? new String[] {command, "x"} : new String[] {command};
            assertThat(runWith(Map.of("LAMPLIGHTER_DATABASE_URL", url), args)).as(command).isEqualTo(1);
            assertThat(errLines()).hasSize(1);
            assertThat(errLines().get(0)).contains("The lamplighter schema is missing in", "cli_unmigrated", "lamplighter migrate");
        }
        assertThat(runWith(Map.of("LAMPLIGHTER_DATABASE_URL", url), "status")).isEqualTo(1);
        ConnectionInfo unmigrated = ConnectionInfo.parse("url", url);
        try (Database other = Database.connect(unmigrated, 2, "cli-test")) {
            boolean schema = other.jdbi().withHandle(h -> h.createQuery(
                    "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'lamplighter')").mapTo(Boolean.class).one());
            assertThat(schema).as("no migration ran").isFalse();
        }
    }

    @Test
    void a_refused_connection_is_one_line_naming_host_port_and_user() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int code = runWith(Map.of("LAMPLIGHTER_DATABASE_URL", "postgresql://alice:secret@localhost:" + port + "/app"), "status");
        assertThat(code).isEqualTo(2);
        assertThat(errLines()).hasSize(1);
        assertThat(errLines().get(0)).contains("cannot connect to localhost:" + port + "/app as user 'alice'", "refused")
                .doesNotContain("secret");
    }

    @Test
    void a_role_the_server_does_not_know_is_one_line_with_the_servers_message() {
        String url = url().replaceFirst("user=[^&]*", "user=nobody_here");
        assertThat(runWith(Map.of("LAMPLIGHTER_DATABASE_URL", url), "history")).isEqualTo(2);
        assertThat(errLines()).hasSize(1);
        assertThat(errLines().get(0)).contains("as user 'nobody_here'", "FATAL", "nobody_here");
        assertThat(runWith(Map.of("LAMPLIGHTER_DATABASE_URL", url), "--verbose", "history")).isEqualTo(2);
        assertThat(errLines().size()).as("--verbose adds the stack trace").isGreaterThan(1);
    }

    @Test
    void a_bad_log_level_is_refused_with_the_levels_allowed() {
        assertThat(runWith(Map.of("LAMPLIGHTER_LOG_LEVEL", "loud"), "status")).isEqualTo(2);
        assertThat(errLines()).containsExactly("lamplighter: LAMPLIGHTER_LOG_LEVEL = \"loud\" is not allowed: "
                + "expected one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
    }

    @Test
    void the_packaged_cli_logs_to_stderr_at_lamplighter_log_level_and_keeps_stdout_for_the_table() throws Exception {
        Path logback = Path.of("target", "classes", "logback.xml").toAbsolutePath();
        assertThat(logback).exists();
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder pb = new ProcessBuilder(java, "-Dlogback.configurationFile=" + logback,
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "status");
        pb.environment().put("LAMPLIGHTER_DATABASE_URL", url());
        pb.environment().put("LAMPLIGHTER_LOG_LEVEL", "DEBUG");
        Path stdout = Files.createTempFile("cli-out", ".txt");
        Path stderr = Files.createTempFile("cli-err", ".txt");
        Process p = pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(stderr)).isZero();
        List<String> lines = Files.readAllLines(stdout);
        assertThat(lines.get(0)).startsWith("name ");
        assertThat(lines).noneMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("(1 row)");
        assertThat(Files.readString(stderr)).contains("DEBUG Using the database at", "DEBUG Schema lamplighter is at this build's version");
    }
}
