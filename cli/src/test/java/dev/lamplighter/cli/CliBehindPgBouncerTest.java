package dev.lamplighter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.testing.PgBouncerProcess;
import dev.lamplighter.worker.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator commands through a real PgBouncer in transaction mode, on the URL of
 * docs/pgbouncer.md; and {@code migrate}, which needs a direct connection, refused there in one
 * line. Skipped, with how to install it, where pgbouncer is not installed.
 */
class CliBehindPgBouncerTest {

    private static PgBouncerProcess bouncer;

    private final TestDatabase db = TestDatabase.get();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void startPgBouncer() {
        Assumptions.assumeTrue(PgBouncerProcess.installed(), PgBouncerProcess.HOW_TO_INSTALL);
        bouncer = PgBouncerProcess.start(TestDatabase.get().database().connectionInfo(), 2);
    }

    @AfterAll
    static void stopPgBouncer() {
        if (bouncer != null) {
            bouncer.close();
        }
    }

    @BeforeEach
    void sample() {
        db.reset();
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, enabled)
                VALUES ('nightly', 'SomeLauncher', 'nightly', '0 3 * * *', false)"""));
    }

    /** The documented URL through PgBouncer, with the user in it, as an operator would set it. */
    private String url() {
        String user = bouncer.connectionProperties().getProperty("user");
        String password = bouncer.connectionProperties().getProperty("password");
        return bouncer.jdbcUrl() + "&user=" + user + (password == null ? "" : "&password=" + password);
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.execute(Map.of("LAMPLIGHTER_DATABASE_URL", url(), "LAMPLIGHTER_MIGRATE", "false", "LAMPLIGHTER_LISTEN", "false"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    @Test
    void the_operator_commands_work_through_pgbouncer_in_transaction_mode() {
        for (int i = 0; i < 3; i++) { // more statements than pgjdbc's default prepareThreshold
            assertThat(run("enable", "nightly")).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(run("trigger", "nightly")).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(run("status")).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("nightly", "0 3 * * *");
            assertThat(run("history", "--limit", "5")).isZero();
            assertThat(run("decisions", "nightly")).isZero();
            assertThat(run("disable", "nightly")).isZero();
        }
        boolean enabled = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT enabled FROM lamplighter.scheduled_jobs WHERE name = 'nightly'").mapTo(Boolean.class).one());
        assertThat(enabled).isFalse();
    }

    @Test
    void migrate_through_pgbouncer_is_refused_in_one_line_that_says_to_migrate_over_a_direct_connection() {
        assertThat(run("migrate")).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip().lines()).singleElement().asString()
                .contains("cannot connect to 127.0.0.1:" + bouncer.port())
                .contains("unsupported startup parameter: options")
                .contains("migrate over a direct connection to PostgreSQL")
                .contains("LAMPLIGHTER_MIGRATE=false");
    }
}
