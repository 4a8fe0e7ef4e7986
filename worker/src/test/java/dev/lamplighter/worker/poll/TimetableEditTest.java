package dev.lamplighter.worker.poll;

import static dev.lamplighter.worker.poll.PollFixture.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.internal.poll.SchedulePoller;
import dev.lamplighter.worker.internal.poll.TickResult;
import dev.lamplighter.worker.testing.TestClock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** An operator edits a timetable with SQL; next_run follows without a launcher check. */
@Tag(TestClock.TAG)
class TimetableEditTest {

    private final PollFixture f = new PollFixture();
    private final TestLauncher launcher = TestLauncher.launching("L");
    private final SchedulePoller poller = f.poller(launcher);

    @Test
    void changing_the_cron_by_sql_moves_next_run_to_the_first_slot_of_the_new_cron() {
        f.insert("nightly", "L", "0 0 * * *", START.plus(Duration.ofHours(14)));
        assertThat(poller.runOnce().checked()).isZero();

        f.sql("UPDATE lamplighter.scheduled_jobs SET schedule_cron = '* * * * *' WHERE name = 'nightly'");
        TickResult r = poller.runOnce();

        assertThat(r.rescheduled()).isEqualTo(1);
        assertThat(r.checked()).as("recomputed, not checked").isZero();
        assertThat(launcher.checks.get()).isZero();
        assertThat(f.nextRun("nightly")).isEqualTo(START.plus(Duration.ofMinutes(1)));
        assertThat(f.row("nightly")).containsEntry("timetable_changed", false).containsEntry("pending_trigger", null);

        f.clock.advance(Duration.ofMinutes(1));
        assertThat(poller.runOnce().launched()).as("runs on the new timetable").isEqualTo(1);
        assertThat(f.text("SELECT trigger_source FROM lamplighter.decision_log")).isEqualTo("cron");
    }

    @Test
    void changing_the_time_zone_or_the_interval_by_sql_moves_next_run_too() {
        f.insert("noon", "L", "0 12 * * *", START.plus(Duration.ofHours(2)));
        f.sql("UPDATE lamplighter.scheduled_jobs SET time_zone = 'Asia/Makassar' WHERE name = 'noon'");
        poller.runOnce();
        // 12:00 in Makassar is 04:00 UTC, already past at 10:00 UTC: tomorrow.
        assertThat(f.nextRun("noon")).isEqualTo(START.atOffset(ZoneOffset.UTC).toLocalDate().plusDays(1)
                .atTime(LocalTime.of(4, 0)).toInstant(ZoneOffset.UTC));

        f.sql("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_interval, next_run)
                VALUES ('daily', 'L', 'daily', interval '1 day', '%s')
                """.formatted(START.plus(Duration.ofHours(20))));
        f.sql("UPDATE lamplighter.scheduled_jobs SET schedule_interval = interval '5 minutes' WHERE name = 'daily'");
        poller.runOnce();
        assertThat(f.nextRun("daily")).isEqualTo(START.plus(Duration.ofMinutes(5)));
        assertThat(launcher.checks.get()).isZero();
    }

    @Test
    void a_statement_that_sets_next_run_along_with_the_timetable_keeps_its_next_run() {
        f.insert("nightly", "L", "0 0 * * *", START.plus(Duration.ofHours(14)));
        f.sql("UPDATE lamplighter.scheduled_jobs SET schedule_cron = '* * * * *', next_run = '"
                + START.plus(Duration.ofHours(3)) + "' WHERE name = 'nightly'");

        assertThat(poller.runOnce().rescheduled()).isZero();
        assertThat(f.nextRun("nightly")).isEqualTo(START.plus(Duration.ofHours(3)));
    }

    @Test
    void a_new_cron_that_never_fires_gets_last_error_like_any_broken_row() {
        f.insert("nightly", "L", "0 0 * * *", START.plus(Duration.ofHours(14)));
        f.sql("UPDATE lamplighter.scheduled_jobs SET schedule_cron = '0 0 31 2 *' WHERE name = 'nightly'");

        TickResult r = poller.runOnce();

        assertThat(r.failed()).isEqualTo(1);
        assertThat(launcher.checks.get()).isZero();
        assertThat(f.row("nightly")).containsEntry("retry_count", 1).containsEntry("enabled", true)
                .containsEntry("timetable_changed", false);
        assertThat((String) f.row("nightly").get("last_error"))
                .startsWith("schedule_cron = \"0 0 31 2 *\" is not allowed: it never fires after");
        assertThat(f.nextRun("nightly")).as("backed off").isEqualTo(START.plus(Duration.ofMinutes(2)));
    }
}
