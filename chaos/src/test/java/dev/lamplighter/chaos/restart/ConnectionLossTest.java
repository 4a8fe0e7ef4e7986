package dev.lamplighter.chaos.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The connection-loss program, short: three rounds of each case against an embedded PostgreSQL.
 * The guarantees, not the timings.
 */
class ConnectionLossTest {

    @Test
    void a_connection_cut_during_a_check_or_a_job_loses_nothing_doubles_nothing_and_records_no_failure(@TempDir Path dir)
            throws Exception {
        ConnectionLossResult r;
        try (RestartableServer server = RestartableServer.start(dir.resolve("pg"), 0)) {
            r = ConnectionLoss.parse("--rounds", "3").run(server.jdbcUrl(), server.user(), null);
        }
        System.out.print(r.table());
        System.out.print(r.firstRoundLines());

        assertThat(r.cases()).hasSize(3).allSatisfy(c -> {
            assertThat(c.rounds()).isEqualTo(3);
            assertThat(c.lost()).as("%s: lost", c.name()).isZero();
            assertThat(c.duplicated()).as("%s: duplicated", c.name()).isZero();
            assertThat(c.recordedFailed()).as("%s: recorded as failed", c.name()).isZero();
            assertThat(c.firstRoundLines()).as("%s: no stack traces", c.name())
                    .noneMatch(LogTally.Line::stackTrace);
        });
        assertThat(r.cases().subList(0, 2)).as("a check whose connection was cut is made again")
                .allSatisfy(c -> assertThat(c.mostPasses()).isGreaterThanOrEqualTo(2));
        assertThat(r.cases().get(2).mostPasses()).as("the held job ran once").isEqualTo(1);
        assertThat(r.guaranteesHeld()).isTrue();
    }

    @Test
    void a_bad_round_count_is_named() {
        assertThatThrownBy(() -> ConnectionLoss.parse("--rounds", "0"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--rounds = 0 is not allowed: expected 1 to 1000");
    }
}
