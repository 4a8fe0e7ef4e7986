package dev.lamplighter.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.chaos.racing.InProcessRace;
import dev.lamplighter.chaos.racing.Machine;
import dev.lamplighter.chaos.racing.ProgramDatabase;
import dev.lamplighter.chaos.racing.RaceFigures;
import dev.lamplighter.chaos.racing.TickCounts;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The racing-pollers program, short: five nodes in one JVM, each on its own pool, one clock. */
@Tag(TestClock.TAG)
class RacingPollersTest {

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
    @Timeout(120)
    void five_nodes_in_one_jvm_launch_every_due_slot_exactly_once() throws Exception {
        MutableClock clock = TestClock.mutable();

        RaceFigures race = new InProcessRace(url(), 5, 100, 8, clock, clock::advance).run();
        System.out.print(race.text());

        assertThat(race.slotsDue()).isEqualTo(100 * 8);
        assertThat(race.launched()).isEqualTo(race.slotsDue());
        assertThat(race.duplicates()).isZero();
        assertThat(race.misses()).isZero();
        assertThat(race.checkedTwice()).isZero();
        assertThat(race.offTimetable()).isZero();
        assertThat(race.failedChecks()).isZero();
        assertThat(race.unlogged()).isZero();
        assertThat(race.tickCounts()).hasSize(5);
        assertThat(race.tickCounts().stream().mapToLong(TickCounts::ledWithChecks).sum())
                .as("ticks that checked schedules").isGreaterThanOrEqualTo(8);
    }

    /** The test server as the programs take it (LAMPLIGHTER_DATABASE_URL form). */
    private String url() {
        var info = db.database().connectionInfo();
        return ProgramDatabase.urlWithCredentials(info.jdbcUrl(), info.user(), info.password());
    }
}
