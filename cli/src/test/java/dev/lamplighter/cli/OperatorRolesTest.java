package dev.lamplighter.cli;

import dev.lamplighter.worker.security.OperatorLogins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.cli.Main;
import dev.lamplighter.worker.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every operator command of the CLI, run in-process as a login of the role
 * {@code sql/cookbook/grants.sql} says it is for: a reader runs the read-only ones and is refused
 * the writes; an operator runs them all.
 */
class OperatorRolesTest {

    private static final String NAME = "epistemic_remeasurement";

    private final TestDatabase db = TestDatabase.get();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void sample() {
        db.reset();
        OperatorLogins.ensure(db);
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, enabled, retry_count, next_run)
                VALUES ('epistemic_remeasurement', 'EpistemicRemeasurementLauncher', 'epistemic_remeasurement',
                        '0 * * * *', false, 5, now() + interval '1 hour');
                INSERT INTO lamplighter.jobs (job_type, status, schedule_name, is_system_job, job_source)
                VALUES ('epistemic_remeasurement', 'completed', 'epistemic_remeasurement', true, 'scheduled_task');
                INSERT INTO lamplighter.decision_log (schedule_name, slot, outcome, reason, figures)
                VALUES ('epistemic_remeasurement', now(), 'skipped', 'Delta (5) below threshold (10)', '{"delta": 5}')"""));
    }

    private int runAs(String user, String... args) {
        out.reset();
        err.reset();
        return Main.execute(Map.of("LAMPLIGHTER_DATABASE_URL", OperatorLogins.url(db, user), "LAMPLIGHTER_MIGRATE", "false"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Map<String, Object> schedule() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT enabled, retry_count, next_run <= now() AS due, pending_trigger
                FROM lamplighter.scheduled_jobs WHERE name = 'epistemic_remeasurement'""").mapToMap().one());
    }

    @Test
    void a_reader_runs_status_history_and_decisions() {
        assertThat(runAs(OperatorLogins.READER, "status")).as(err()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(NAME, "(1 row)");
        assertThat(runAs(OperatorLogins.READER, "history", "--limit", "5")).as(err()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("completed");
        assertThat(runAs(OperatorLogins.READER, "decisions", NAME)).as(err()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Delta (5) below threshold (10)");
    }

    @Test
    void a_reader_is_refused_trigger_enable_and_disable_and_nothing_changes() {
        for (String command : new String[] {"enable", "disable"}) {
            assertThat(runAs(OperatorLogins.READER, command, NAME)).as(command).isNotZero();
            assertThat(err()).as(command).contains("permission denied for table scheduled_jobs");
        }
        assertThat(schedule()).containsEntry("enabled", false).containsEntry("retry_count", 5).containsEntry("due", false);

        // trigger refuses a disabled schedule before writing anything, so try it on an enabled one
        db.jdbi().useHandle(h -> h.execute("UPDATE lamplighter.scheduled_jobs SET enabled = true WHERE name = ?", NAME));
        assertThat(runAs(OperatorLogins.READER, "trigger", NAME)).as("trigger").isNotZero();
        assertThat(err()).as("trigger").contains("permission denied for table scheduled_jobs");
        assertThat(schedule()).containsEntry("due", false).containsEntry("pending_trigger", null);
    }

    @Test
    void an_operator_runs_every_operator_command_including_trigger() {
        assertThat(runAs(OperatorLogins.OPERATOR, "status")).as(err()).isZero();
        assertThat(runAs(OperatorLogins.OPERATOR, "history")).as(err()).isZero();
        assertThat(runAs(OperatorLogins.OPERATOR, "decisions", NAME)).as(err()).isZero();
        assertThat(runAs(OperatorLogins.OPERATOR, "enable", NAME)).as(err()).isZero();
        assertThat(runAs(OperatorLogins.OPERATOR, "trigger", NAME)).as(err()).isZero();
        assertThat(schedule()).containsEntry("enabled", true).containsEntry("retry_count", 0)
                .containsEntry("due", true).containsEntry("pending_trigger", "manual");
        assertThat(runAs(OperatorLogins.OPERATOR, "disable", NAME)).as(err()).isZero();
        assertThat(schedule()).containsEntry("enabled", false);
    }

    @Test
    void an_operator_may_change_a_timetable_and_its_misfire_grace_by_sql() throws Exception {
        try (java.sql.Connection c = OperatorLogins.connect(db, OperatorLogins.OPERATOR);
             java.sql.Statement st = c.createStatement()) {
            int changed = st.executeUpdate("""
                    UPDATE lamplighter.scheduled_jobs
                    SET schedule_cron = '*/15 * * * *', time_zone = 'Asia/Makassar', misfire_grace = interval '10 minutes'
                    WHERE name = 'epistemic_remeasurement'""");
            assertThat(changed).isEqualTo(1);
        }
        Map<String, Object> row = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT schedule_cron, time_zone, CAST(misfire_grace AS text) AS grace, timetable_changed
                FROM lamplighter.scheduled_jobs WHERE name = 'epistemic_remeasurement'""").mapToMap().one());
        assertThat(row)
                .containsEntry("schedule_cron", "*/15 * * * *").containsEntry("time_zone", "Asia/Makassar")
                .containsEntry("grace", "00:10:00").containsEntry("timetable_changed", true);
    }

    @Test
    void an_operator_pauses_resumes_drains_and_undrains_and_a_reader_is_refused() {
        db.jdbi().useHandle(h -> h.execute(
                "INSERT INTO lamplighter.nodes (node_id, hostname, pid, version) VALUES ('worker-7', 'h', 1, 'v')"));
        assertThat(runAs(OperatorLogins.READER, "pause", "--reason", "upgrade")).isNotZero();
        assertThat(err()).contains("permission denied for table cluster_state");
        assertThat(runAs(OperatorLogins.READER, "drain", "worker-7")).isNotZero();
        assertThat(err()).contains("permission denied for table nodes");
        assertThat(runAs(OperatorLogins.OPERATOR, "pause", "--reason", "upgrade")).as(err()).isZero();
        assertThat(runAs(OperatorLogins.READER, "status")).as(err()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("PAUSED since ").contains("by cli:");
        assertThat(runAs(OperatorLogins.OPERATOR, "resume")).as(err()).isZero();
        assertThat(runAs(OperatorLogins.OPERATOR, "drain", "worker-7")).as(err()).isZero();
        assertThat(runAs(OperatorLogins.OPERATOR, "undrain", "worker-7")).as(err()).isZero();
        List<String> actions = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT action FROM lamplighter.admin_audit ORDER BY id").mapTo(String.class).list());
        assertThat(actions).containsExactly("cluster.pause", "cluster.resume", "node.drain", "node.undrain");
    }

    @Test
    void a_reader_runs_nodes_explain_doctor_and_drift() {
        assertThat(runAs(OperatorLogins.READER, "nodes")).as(err()).isZero();
        assertThat(runAs(OperatorLogins.READER, "explain", NAME)).as(err()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("decision:    skip", "rolled back");
        assertThat(runAs(OperatorLogins.READER, "doctor", "--json")).as(err()).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"check\" : \"enabled\"");
        assertThat(runAs(OperatorLogins.READER, "drift")).as(err()).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("sql_only");
    }

    @Test
    void an_operator_approves_a_job_with_its_audit_row_and_without_the_audit_grant_nothing_changes() {
        long approved = awaitingApproval();
        assertThat(runAs(OperatorLogins.OPERATOR, "approve", String.valueOf(approved))).as(err()).isZero();
        assertThat(status(approved)).isEqualTo("queued");
        List<String> actors = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT actor FROM lamplighter.admin_audit WHERE target = :t AND action = 'job.approve'")
                .bind("t", "job:" + approved).mapTo(String.class).list());
        assertThat(actors).hasSize(1).allMatch(actor -> actor.startsWith("cli:"));

        long refused = awaitingApproval();
        db.jdbi().useHandle(h -> h.execute("REVOKE INSERT ON lamplighter.admin_audit FROM lamplighter_operator"));
        try {
            assertThat(runAs(OperatorLogins.OPERATOR, "approve", String.valueOf(refused))).isEqualTo(1);
            assertThat(err().lines().toList()).containsExactly("lamplighter: cannot write the audit row of job.approve on job "
                    + refused + ": permission denied for table admin_audit, so nothing changed (grant it: GRANT INSERT ON "
                    + "lamplighter.admin_audit TO lamplighter_operator)");
            assertThat(status(refused)).as("the change rolled back with its audit row").isEqualTo("awaiting_approval");
        } finally {
            db.jdbi().useHandle(h -> h.execute("GRANT INSERT ON lamplighter.admin_audit TO lamplighter_operator"));
        }
        assertThat(runAs(OperatorLogins.READER, "approve", String.valueOf(refused))).isEqualTo(1);
        assertThat(err()).contains("permission denied for table jobs");
    }

    private long awaitingApproval() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                INSERT INTO lamplighter.jobs (job_type, status) VALUES ('reindex', 'awaiting_approval') RETURNING job_id""")
                .mapTo(Long.class).one());
    }

    private String status(long id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT status FROM lamplighter.jobs WHERE job_id = :id")
                .bind("id", id).mapTo(String.class).one());
    }
}
