package dev.lamplighter.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.chaos.racing.Machine;
import dev.lamplighter.chaos.racing.ProgramDatabase;
import dev.lamplighter.chaos.racing.ProcessRace;
import dev.lamplighter.chaos.racing.RaceFigures;
import dev.lamplighter.worker.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The racing-pollers program between processes, short: three node JVMs polling every second on the
 * database's clock (not the test clock: each JVM has its own, and the database's is the one they share).
 */
class RacingPollerProcessesTest {

    private final TestDatabase db = TestDatabase.get();

    /** Puts Lamplighter's log level back: the other tests of this JVM count INFO lines. */
    private Runnable logsBack = () -> { };

    @BeforeEach
    void reset() {
        db.reset();
        logsBack = Machine.quietLogs();
    }

    @AfterEach
    void restoreLogs() {
        logsBack.run();
    }

    @Test
    @Timeout(180)
    void three_node_processes_launch_every_due_slot_exactly_once(@TempDir Path logs) throws Exception {
        RaceFigures race = new ProcessRace(url(), 3, 60, 6, logs).run();
        System.out.print(race.text());

        assertThat(race.slotsDue()).as("slots due").isGreaterThanOrEqualTo(60);
        assertThat(race.duplicates()).as("duplicates").isZero();
        assertThat(race.misses() - race.heldBack()).as("misses (not counting slots held back by the one-instance rule)").isZero();
        assertThat(race.launched()).isEqualTo(race.slotsDue() - race.misses());
        assertThat(race.checkedTwice()).as("slots checked twice").isZero();
        assertThat(race.failedChecks()).isZero();
        assertThat(race.unlogged()).isZero();
        assertThat(race.tickCounts()).hasSize(3);
    }

    /** The test server as the programs take it (LAMPLIGHTER_DATABASE_URL form). */
    private String url() {
        var info = db.database().connectionInfo();
        return ProgramDatabase.urlWithCredentials(info.jdbcUrl(), info.user(), info.password());
    }
}
