package dev.lamplighter.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.testing.TestDatabase;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Limits declared in code are registered at start; an operator's change by SQL survives restarts. */
class JobTypeRegistrationTest {

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();

    @BeforeEach
    void reset() {
        db.reset();
    }

    private Lamplighter.Builder node() {
        return Lamplighter.builder(db.database().dataSource()).nodeId("registrar").schedulerEnabled(false).workerThreads(0);
    }

    private Map<String, Object> row(String type) {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT max_running, exclusive, declared IS NOT NULL AS declared FROM lamplighter.job_types WHERE job_type = :t")
                .bind("t", type).mapToMap().one());
    }

    @Test
    void limits_declared_in_code_are_registered_and_an_operators_change_survives_a_restart() {
        try (Lamplighter ignored = node().limit("report", 3).exclusive("payout").start()) {
            assertThat(row("report")).containsEntry("max_running", 3).containsEntry("exclusive", false).containsEntry("declared", true);
            assertThat(row("payout")).containsEntry("max_running", null).containsEntry("exclusive", true);
        }
        jdbi.useHandle(h -> h.execute("UPDATE lamplighter.job_types SET max_running = 5 WHERE job_type = 'report'"));

        try (Lamplighter ignored = node().limit("report", 3).exclusive("payout").start()) {
            assertThat(row("report")).as("the same declaration again").containsEntry("max_running", 5);
        }
        try (Lamplighter ignored = node().limit("report", 4).exclusive("report").limit("payout", 2).start()) {
            assertThat(row("report")).as("max_running is the operator's; exclusive still follows the code")
                    .containsEntry("max_running", 5).containsEntry("exclusive", true);
            assertThat(row("payout")).as("both columns follow the code").containsEntry("max_running", 2).containsEntry("exclusive", false);
        }
    }

    @Test
    void a_row_an_operator_wrote_by_sql_is_the_operators_and_a_restart_changes_nothing_in_it() {
        jdbi.useHandle(h -> h.execute("INSERT INTO lamplighter.job_types (job_type, max_running) VALUES ('report', 7)"));
        try (Lamplighter ignored = node().limit("report", 3).start()) {
            assertThat(row("report")).containsEntry("max_running", 7).containsEntry("declared", true);
        }
        try (Lamplighter ignored = node().limit("report", 2).start()) {
            assertThat(row("report")).containsEntry("max_running", 7);
        }
    }

    @Test
    void a_limit_below_1_or_a_blank_job_type_is_refused_naming_the_value() {
        assertThatThrownBy(() -> node().limit("report", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRunning = 0 (job type \"report\") is not allowed: expected 1 or more");
        assertThatThrownBy(() -> node().exclusive(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jobType = \" \" is not allowed: expected a non-blank job type");
    }
}
