package dev.lamplighter.worker.poll;

import static dev.lamplighter.worker.poll.PollFixture.START;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.lamplighter.Decision;
import dev.lamplighter.worker.internal.poll.SchedulePoller;
import dev.lamplighter.worker.internal.poll.TickResult;
import dev.lamplighter.worker.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A failure anywhere in a check (the timetable, the next run, the row's numbers, the transaction)
 * is that schedule's failure: recorded, counted, backed off and disabled, in a transaction that
 * commits, with one log line and no stack trace; the tick goes on.
 */
@Tag(TestClock.TAG)
class BrokenRowTest {

    private final PollFixture f = new PollFixture();
    private final TestLauncher launcher = TestLauncher.launching("L");
    private final SchedulePoller poller = f.poller(launcher);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger checkerLog = (Logger) LoggerFactory.getLogger("dev.lamplighter.worker.internal.poll");

    BrokenRowTest() {
        logged.start();
        checkerLog.addAppender(logged);
    }

    @AfterEach
    void detach() {
        checkerLog.detachAppender(logged);
    }

    private List<ILoggingEvent> warnings(String schedule) {
        return logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .filter(e -> e.getFormattedMessage().contains("'" + schedule + "'")).toList();
    }

    @Test
    void a_cron_that_never_fires_is_its_schedules_failure_counted_backed_off_and_disabled() {
        f.insert("feb31", "L", "0 0 31 2 *", START);
        f.insert("good", "L", "0 * * * *", START);

        TickResult r = poller.runOnce();

        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.launched()).isEqualTo(1);
        assertThat((String) f.row("feb31").get("last_error"))
                .startsWith("schedule_cron = \"0 0 31 2 *\" is not allowed: it never fires after")
                .contains("expected an expression with future slots");
        assertThat(f.row("feb31")).containsEntry("retry_count", 1).containsEntry("last_outcome", "failed");
        assertThat(f.count("SELECT count(*) FROM lamplighter.decision_log WHERE schedule_name = 'feb31' AND outcome = 'failed'"))
                .isEqualTo(1);
        assertThat(warnings("feb31")).as("one line, no stack trace").hasSize(1)
                .allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());

        for (int retry = 2; retry <= 5; retry++) {
            f.clock.set(f.nextRun("feb31"));
            assertThat(poller.runOnce().failed()).isEqualTo(1);
        }
        assertThat(f.row("feb31")).containsEntry("enabled", false).containsEntry("retry_count", 5);
        assertThat(warnings("feb31")).hasSize(5).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
    }

    @Test
    void a_next_run_beyond_what_postgresql_can_store_is_a_failure_naming_the_interval() {
        f.sql("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_interval, next_run)
                VALUES ('eons', 'L', 'eons', interval '300000 years', '%s')
                """.formatted(START));

        assertThat(poller.runOnce().failed()).isEqualTo(1);

        assertThat((String) f.row("eons").get("last_error"))
                .startsWith("schedule_interval = ")
                .contains("is not allowed: the next run would be in year")
                .contains("beyond what PostgreSQL can store");
        assertThat(launcher.checks.get()).as("found before the launcher is asked").isZero();
        assertThat(f.row("eons")).containsEntry("retry_count", 1);
    }

    @Test
    void a_retry_count_at_the_integer_limit_does_not_overflow_and_the_schedule_is_disabled() {
        f.insert("worn", "L", "0 * * * *", START);
        f.sql("UPDATE lamplighter.scheduled_jobs SET retry_count = 2147483647, max_retries = 2147483647");
        launcher.answer(ctx -> {
            throw new IllegalStateException("still failing");
        });

        assertThat(poller.runOnce().failed()).isEqualTo(1);

        assertThat(f.row("worn")).containsEntry("enabled", false).containsEntry("retry_count", 2147483647)
                .containsEntry("last_error", "IllegalStateException: still failing");
    }

    @Test
    void a_launcher_that_ends_the_checks_transaction_is_recorded_in_a_fresh_one() {
        f.insert("rogue", "L", "0 * * * *", START);
        launcher.answer(ctx -> {
            ctx.connection().rollback();
            return Decision.skip("rolled back everything");
        });

        assertThat(poller.runOnce().failed()).isEqualTo(1);

        assertThat(f.row("rogue")).containsEntry("retry_count", 1).containsEntry("last_outcome", "failed");
        assertThat((String) f.row("rogue").get("last_error")).startsWith("the check's transaction broke (")
                .endsWith("a launcher must leave LaunchContext.connection() open and must not commit or roll it back");
        assertThat(logged.list).as("nothing claims the rolled-back skip happened")
                .noneMatch(e -> e.getFormattedMessage().contains("skipped"));
        assertThat(f.nextRun("rogue")).isEqualTo(START.plus(Duration.ofMinutes(2)));
        assertThat(f.count("SELECT count(*) FROM lamplighter.decision_log WHERE outcome = 'failed'")).isEqualTo(1);
        assertThat(poller.runOnce().checked()).as("backed off, not retried every tick").isZero();
    }

    @Test
    void a_broken_row_leaves_the_loop_and_every_other_schedule_going() {
        f.insert("feb30", "L", "0 0 30 2 *", START);
        f.insert("bad_zone", "L", "0 * * * *", START);
        f.sql("UPDATE lamplighter.scheduled_jobs SET time_zone = 'UTC+3' WHERE name = 'bad_zone'");
        f.sql("UPDATE lamplighter.scheduled_jobs SET next_run = '" + START + "' WHERE name = 'bad_zone'");
        Instant later = START.minusSeconds(1);
        f.insert("good", "L", "0 * * * *", later);

        TickResult r = poller.runOnce();

        assertThat(r.launched()).isEqualTo(1);
        assertThat(r.failed()).isEqualTo(2);
        assertThat(f.count("SELECT count(*) FROM lamplighter.scheduled_jobs WHERE last_error IS NOT NULL")).isEqualTo(2);
    }

    @Test
    void a_next_run_of_minus_infinity_is_checked_once_and_moves_on() {
        f.insert("forever_due", "L", "0 * * * *", START);
        f.sql("UPDATE lamplighter.scheduled_jobs SET next_run = '-infinity'");

        TickResult r = poller.runOnce();

        assertThat(r.checked()).isEqualTo(1);
        assertThat(f.nextRun("forever_due")).isEqualTo(START.plus(Duration.ofHours(1)));
    }

    @Test
    void an_outcome_the_database_cannot_store_is_recorded_as_a_failure_not_rolled_back_every_tick() {
        f.insert("nan", "L", "0 * * * *", START);
        launcher.answer(ctx -> Decision.skip("a reason with a NUL \u0000 that text cannot hold"));

        assertThat(poller.runOnce().failed()).isEqualTo(1);

        assertThat(f.row("nan")).containsEntry("retry_count", 1).containsEntry("last_outcome", "failed");
        assertThat((String) f.row("nan").get("last_error")).startsWith("PSQLException: ERROR: invalid byte sequence for encoding \"UTF8\": 0x00");
        assertThat(f.nextRun("nan")).isEqualTo(START.plus(Duration.ofMinutes(2)));
        assertThat(warnings("nan")).hasSize(1);
    }
}
