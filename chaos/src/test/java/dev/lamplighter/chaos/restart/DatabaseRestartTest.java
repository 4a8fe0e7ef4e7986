package dev.lamplighter.chaos.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The database-restart program, short: two nodes in this JVM (each on its own pool) over an
 * embedded PostgreSQL that is stopped for 3 s, then restarted at once. The guarantees, not the
 * timings.
 */
class DatabaseRestartTest {

    @Test
    void every_loop_comes_back_by_itself_and_no_job_or_slot_is_lost_doubled_or_recorded_failed() throws Exception {
        DatabaseRestartResult r = DatabaseRestart.parse("--in-process", "--jobs", "400", "--work-ms", "30",
                "--nodes", "2", "--threads", "2", "--schedules", "4", "--every", "2s", "--outage", "3s").run();
        System.out.print(r.table());
        System.out.print(r.outageLines());

        assertThat(r.outages()).hasSize(2).allSatisfy(o -> {
            assertThat(o.loopsLost()).as("%s: loops that lost the database (the poll loops at least)", o.name())
                    .isGreaterThanOrEqualTo(2);
            assertThat(o.loopsBack()).as("%s: loops back by themselves", o.name()).isEqualTo(o.loopsLost());
            assertThat(o.mostLostLinesPerLoop()).as("%s: a loop says once that it lost the database", o.name())
                    .isEqualTo(1);
            assertThat(o.jobsAgainMs()).as("%s: jobs complete again", o.name()).isNotNegative();
            assertThat(o.launchesAgainMs()).as("%s: schedules launch again", o.name()).isNotNegative();
            assertThat(o.lines()).as("%s: no stack traces", o.name()).allSatisfy((node, lines) ->
                    assertThat(lines).noneMatch(LogTally.Line::stackTrace));
            assertThat(o.lines()).as("%s: completions whose recording took retries share a line", o.name())
                    .allSatisfy((node, lines) -> assertThat(lines).noneMatch(l -> l.text().matches("Job \\d+ .*recording it took.*")));
        });
        assertThat(r.jobs()).isGreaterThan(400);
        assertThat(r.lost()).as("jobs lost").isZero();
        assertThat(r.failed()).as("jobs failed").isZero();
        assertThat(r.completed()).isEqualTo(r.jobs());
        assertThat(r.succeededNotCompleted()).as("handler succeeded, job not completed").isZero();
        assertThat(r.succeededTwice()).as("handler succeeded more than once").isZero();
        assertThat(r.attemptsRecordedFailed()).as("attempts not ending in success").isZero();
        assertThat(r.launches()).isPositive();
        assertThat(r.slotsLaunchedTwice()).as("slots launched twice").isZero();
        assertThat(r.launchesWithoutJob()).as("launches whose job is missing").isZero();
        assertThat(r.guaranteesHeld()).isTrue();
    }

    @Test
    void a_bad_option_is_named_with_its_value_and_what_is_allowed() {
        assertThatThrownBy(() -> DatabaseRestart.parse("--nodes", "0"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--nodes = 0 is not allowed: expected 1 to 16");
        assertThatThrownBy(() -> DatabaseRestart.parse("--stop", "true"))
                .hasMessage("--stop = true is not allowed: expected only together with --start");
        assertThatThrownBy(() -> DatabaseRestart.parse("--outage", "soon"))
                .hasMessageContaining("'soon' is not a duration");
    }

    @Test
    void the_embedded_server_keeps_its_rows_across_a_stop_and_a_start(@TempDir Path dir) throws Exception {
        try (RestartableServer server = RestartableServer.start(dir.resolve("pg"), 0)) {
            org.jdbi.v3.core.Jdbi jdbi = Queries.jdbi(server.jdbcUrl(), server.user(), null);
            jdbi.useHandle(h -> h.execute("CREATE TABLE kept (v int); INSERT INTO kept VALUES (7)"));
            int port = server.port();

            server.stop();
            assertThat(Files.exists(dir.resolve("pg").resolve("postgresql.conf"))).as("data directory kept").isTrue();
            server.start();

            assertThat(server.port()).isEqualTo(port);
            Integer kept = jdbi.withHandle(h -> h.createQuery("SELECT v FROM kept").mapTo(Integer.class).one());
            assertThat(kept).isEqualTo(7);
        }
    }
}
