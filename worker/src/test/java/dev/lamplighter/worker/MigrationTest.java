package dev.lamplighter.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.worker.internal.db.Database;
import dev.lamplighter.worker.testing.TestDatabase;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MigrationTest {

    private final TestDatabase db = TestDatabase.get();

    @BeforeEach
    void reset() {
        db.reset();
    }

    @Test
    void migrating_an_empty_database_creates_the_lamplighter_schema() {
        db.jdbi().useHandle(h -> {
            h.execute("DROP DATABASE IF EXISTS migration_check");
            h.execute("CREATE DATABASE migration_check");
        });
        String url = db.database().connectionInfo().jdbcUrl().replaceFirst("/[^/?]*(\\?|$)", "/migration_check$1");
        var info = new dev.lamplighter.worker.internal.db.ConnectionInfo(url,
                db.database().connectionInfo().user(), db.database().connectionInfo().password());
        try (Database fresh = Database.connect(info, 2, "migration-check")) {
            assertThat(fresh.migrate()).isGreaterThanOrEqualTo(1);
            assertThat(fresh.migrate()).as("a second migrate applies nothing").isZero();
            List<String> tables = fresh.jdbi().withHandle(h -> h.createQuery(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'lamplighter' ORDER BY tablename")
                    .mapTo(String.class).list());
            assertThat(tables).contains("scheduled_jobs", "jobs", "decision_log", "nodes", Database.HISTORY_TABLE);
        }
        db.jdbi().useHandle(h -> h.execute("DROP DATABASE migration_check"));
    }

    @Test
    void constraints_reject_what_the_database_can_reject() {
        db.jdbi().useHandle(h -> {
            assertRejected(h, "INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron) VALUES ('a', 'L', 't', '0 * * *')",
                    "scheduled_jobs_cron_has_five_fields");
            assertRejected(h, "INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, schedule_interval) VALUES ('a', 'L', 't', '0 * * * *', '1 hour')",
                    "scheduled_jobs_one_schedule");
            assertRejected(h, "INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, automation) VALUES ('a', 'L', 't', '0 * * * *', 'yolo')",
                    "scheduled_jobs_automation_known");
            assertRejected(h, "INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, retry_count) VALUES ('a', 'L', 't', '0 * * * *', -1)",
                    "scheduled_jobs_retry_count_non_negative");
            assertRejected(h, "INSERT INTO lamplighter.jobs (job_type, status) VALUES ('t', 'done')", "jobs_status_known");
            assertRejected(h, "INSERT INTO lamplighter.jobs (job_type, job_source) VALUES ('t', 'cron')", "jobs_job_source_known");
            assertRejected(h, "INSERT INTO lamplighter.jobs (job_type, attempts) VALUES ('t', -2)", "jobs_attempts_non_negative");
        });
    }

    private static void assertRejected(Handle h, String sql, String constraint) {
        assertThatThrownBy(() -> h.execute(sql))
                .isInstanceOf(UnableToExecuteStatementException.class)
                .hasMessageContaining(constraint);
    }
}
