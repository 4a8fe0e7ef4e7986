package dev.lamplighter.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
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

    private int run(String... args) {
        ConnectionInfo info = db.database().connectionInfo();
        String url = info.jdbcUrl() + (info.jdbcUrl().contains("?") ? "&" : "?") + "user=" + info.user()
                + (info.password() == null ? "" : "&password=" + info.password());
        return Main.execute(Map.of("LAMPLIGHTER_DATABASE_URL", url, "LAMPLIGHTER_MIGRATE", "false"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
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
}
