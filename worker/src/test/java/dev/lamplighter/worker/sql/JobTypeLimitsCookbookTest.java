package dev.lamplighter.worker.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.worker.security.OperatorLogins;
import dev.lamplighter.worker.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An operator sets, makes exclusive and clears a job type's limit with sql/cookbook/job_type_limits.sql. */
class JobTypeLimitsCookbookTest {

    private final TestDatabase db = TestDatabase.get();

    @BeforeEach
    void reset() {
        db.reset();
        OperatorLogins.ensure(db);
    }

    private void runAsOperator(String maxRunning, String exclusive) throws SQLException {
        String sql = CookbookTest.substitute(SqlTree.read(SqlTree.ROOT.resolve("cookbook/job_type_limits.sql")),
                Map.of("job_type", "payout", "max_running", maxRunning, "exclusive", exclusive));
        try (Connection c = OperatorLogins.connect(db, OperatorLogins.OPERATOR); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private Map<String, Object> limits() {
        return db.jdbi().withHandle(h -> h.createQuery(
                "SELECT effective_limit, max_running, exclusive, running FROM lamplighter.job_type_limits WHERE job_type = 'payout'")
                .mapToMap().one());
    }

    @Test
    void an_operator_sets_a_limit_makes_the_type_exclusive_and_clears_it_and_the_view_shows_limit_and_running() throws Exception {
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO lamplighter.jobs (job_type, status, attempts, locked_by, locked_until)
                VALUES ('payout', 'running', 1, 'n1', now() + interval '5 minutes')"""));
        runAsOperator("3", "false");
        assertThat(limits()).containsEntry("effective_limit", 3).containsEntry("max_running", 3)
                .containsEntry("exclusive", false).containsEntry("running", 1L);
        runAsOperator("NULL", "true");
        assertThat(limits()).containsEntry("effective_limit", 1).containsEntry("max_running", null).containsEntry("exclusive", true);
        runAsOperator("NULL", "false");
        assertThat(limits()).containsEntry("effective_limit", null).containsEntry("exclusive", false);
        assertThatThrownBy(() -> runAsOperator("0", "false")).isInstanceOf(SQLException.class)
                .hasMessageContaining("job_types_max_running_positive");
    }
}
