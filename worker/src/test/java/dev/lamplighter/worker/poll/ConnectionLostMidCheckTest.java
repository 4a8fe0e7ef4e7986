package dev.lamplighter.worker.poll;

import static dev.lamplighter.worker.poll.PollFixture.START;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.lamplighter.Decision;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import dev.lamplighter.worker.internal.poll.SchedulePoller;
import dev.lamplighter.worker.internal.poll.TickResult;
import dev.lamplighter.worker.testing.TestClock;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * A check whose connection is terminated in the middle (an administrator, a failover, a restart)
 * recorded nothing and is not the launcher's failure: it is made again on another connection and
 * its slot launches once, with no failed decision, no retry count and no backoff.
 */
@Tag(TestClock.TAG)
class ConnectionLostMidCheckTest {

    private final PollFixture f = new PollFixture();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger pollLog = (Logger) LoggerFactory.getLogger("dev.lamplighter.worker.internal.poll");

    ConnectionLostMidCheckTest() {
        logged.start();
        pollLog.addAppender(logged);
    }

    @AfterEach
    void detach() {
        pollLog.detachAppender(logged);
    }

    /** Terminates its own connection's backend at its first check, then launches. */
    private static final class CutsItsConnectionOnce implements Launcher {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String name() {
            return "Cut";
        }

        @Override
        public Decision checkConditions(LaunchContext ctx) throws Exception {
            if (calls.incrementAndGet() == 1) {
                try (Statement s = ctx.connection().createStatement()) {
                    s.execute("SELECT pg_terminate_backend(pg_backend_pid())");
                }
            }
            return Decision.launch("work to do");
        }
    }

    /** Closes the connection it was given (a launcher bug), then launches. */
    private static final class ClosesItsConnection implements Launcher {
        @Override
        public String name() {
            return "Closer";
        }

        @Override
        public Decision checkConditions(LaunchContext ctx) throws Exception {
            ctx.connection().close();
            return Decision.launch("work to do");
        }
    }

    @ParameterizedTest(name = "{0} due schedule(s)")
    @ValueSource(ints = {1, 3})
    void a_launcher_that_closes_its_connection_is_still_a_launcher_failure_not_a_lost_connection(int due) {
        for (int i = 1; i <= due; i++) {
            f.insert("closer_" + i, "Closer", "0 * * * *", START);
        }

        TickResult tick = f.poller(new ClosesItsConnection()).runOnce();

        assertThat(tick.failed()).isEqualTo(due);
        assertThat(f.count("SELECT count(*) FROM lamplighter.jobs")).isZero();
        assertThat(f.texts("SELECT last_error FROM lamplighter.scheduled_jobs ORDER BY name"))
                .allSatisfy(error -> assertThat(error).startsWith("the check's transaction broke (")
                        .endsWith("a launcher must leave LaunchContext.connection() open and must not commit or roll it back"));
    }

    @ParameterizedTest(name = "{0} due schedule(s)")
    @ValueSource(ints = {1, 3})
    void a_check_whose_connection_is_terminated_is_made_again_and_its_slot_launches_once(int due) {
        for (int i = 1; i <= due; i++) {
            f.insert("cut_" + i, "Cut", "0 * * * *", START);
        }
        CutsItsConnectionOnce launcher = new CutsItsConnectionOnce();
        SchedulePoller poller = f.poller(launcher);

        TickResult tick = poller.runOnce();

        assertThat(tick.launched()).isEqualTo(due);
        assertThat(tick.failed()).isZero();
        assertThat(launcher.calls.get()).as("the cut check was made again").isEqualTo(due + 1);
        assertThat(f.count("SELECT count(*) FROM lamplighter.jobs WHERE schedule_name LIKE 'cut_%'")).isEqualTo(due);
        assertThat(f.count("SELECT count(*) FROM lamplighter.decision_log WHERE outcome = 'launched'")).isEqualTo(due);
        assertThat(f.count("SELECT count(*) FROM lamplighter.decision_log WHERE outcome <> 'launched'")).isZero();
        assertThat(f.count("SELECT count(*) FROM lamplighter.scheduled_jobs WHERE retry_count > 0 OR last_error IS NOT NULL"))
                .as("no launcher failure recorded").isZero();
        assertThat(logged.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .as("one line says the connection was lost and the check made again")
                .singleElement().satisfies(e -> {
                    assertThat(e.getLevel()).isEqualTo(Level.WARN);
                    assertThat(e.getFormattedMessage()).contains("was lost").contains("checked again")
                            .contains("terminating connection due to administrator command");
                    assertThat(e.getThrowableProxy()).isNull();
                });
    }
}
