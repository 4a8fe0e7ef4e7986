package dev.lamplighter.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.chaos.killed.KillFigures;
import dev.lamplighter.chaos.killed.KillRun;
import dev.lamplighter.chaos.racing.Machine;
import dev.lamplighter.chaos.racing.ProgramDatabase;
import dev.lamplighter.worker.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The killed-workers program, short: two worker JVMs over 500 jobs, two of them killed with SIGKILL
 * while they hold jobs, each restarted at once. Worker processes run on the database's clock.
 */
class KilledWorkersTest {

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
    @Timeout(240)
    void no_job_is_lost_and_only_jobs_a_killed_worker_held_run_again(@TempDir Path logs) throws Exception {
        KillFigures run = new KillRun(url(), 2, 500, 2, 20, Duration.ofSeconds(5), logs).run();
        System.out.print(run.text());

        assertThat(run.completed()).as("completed").isEqualTo(500);
        assertThat(run.lost()).as("lost").isZero();
        assertThat(run.kills()).hasSize(2);
        assertThat(run.inFlightAtKills()).as("jobs held by the killed workers").isPositive();
        assertThat(run.kills()).allSatisfy(k -> {
            assertThat(k.rescued()).as("jobs rescued from %s", k.node()).isEqualTo(k.inFlight());
            if (k.inFlight() > 0) {
                assertThat(k.toLastRescue()).as("time from the kill of %s to its last rescue", k.node()).isNotNull();
            }
        });
        assertThat(run.unexplainedReruns()).as("runs again that no kill and rescue explains").isZero();
        assertThat(run.runMoreThanOnce()).isLessThanOrEqualTo(run.inFlightAtKills());
        assertThat(run.sameAttemptTwice()).as("attempts run twice").isZero();
        assertThat(run.completedUnrun()).as("completed without a finished run").isZero();
        assertThat(run.starts()).as("worker starts that claimed").hasSizeGreaterThanOrEqualTo(2);
    }

    /** The test server as the programs take it (LAMPLIGHTER_DATABASE_URL form). */
    private String url() {
        var info = db.database().connectionInfo();
        return ProgramDatabase.urlWithCredentials(info.jdbcUrl(), info.user(), info.password());
    }
}
