package dev.lamplighter.worker.poll;

import static dev.lamplighter.worker.poll.PollFixture.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.worker.internal.poll.SchedulePoller;
import dev.lamplighter.worker.internal.poll.TickResult;
import dev.lamplighter.worker.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** scheduled_jobs.misfire_grace: how late a timetable slot may still be checked. */
@Tag(TestClock.TAG)
class MisfireGraceTest {

    private final PollFixture f = new PollFixture();
    private final TestLauncher launcher = TestLauncher.launching("L");
    private final SchedulePoller poller = f.poller(launcher);

    private void insertWithGrace(String name, Instant nextRun, String grace) {
        f.insert(name, "L", "0 * * * *", nextRun);
        f.sql("UPDATE lamplighter.scheduled_jobs SET misfire_grace = interval '" + grace + "', next_run = '" + nextRun
                + "', retry_count = 2, last_error = 'earlier failure' WHERE name = '" + name + "'");
        f.sql("UPDATE lamplighter.scheduled_jobs SET pending_trigger = NULL WHERE name = '" + name + "'");
    }

    @Test
    void a_slot_later_than_its_misfire_grace_is_recorded_as_missed_and_the_launcher_is_not_asked() {
        Instant slot = START.minus(Duration.ofHours(3));
        insertWithGrace("hourly", slot, "10 minutes");

        TickResult r = poller.runOnce();

        assertThat(r.skipped()).isEqualTo(1);
        assertThat(launcher.checks.get()).isZero();
        assertThat(f.count("SELECT count(*) FROM lamplighter.jobs")).isZero();
        Map<String, Object> decision = f.jdbi.withHandle(h -> h.createQuery(
                "SELECT outcome, reason, trigger_source, CAST(figures AS text) AS figures FROM lamplighter.decision_log")
                .mapToMap().one());
        assertThat(decision).containsEntry("outcome", "skipped").containsEntry("trigger_source", "cron")
                .containsEntry("reason", "missed: slot " + slot + " was 3h late, misfire grace 10min")
                .containsEntry("figures", "{\"lateness_ms\": 10800000, \"misfire_grace_ms\": 600000}");
        assertThat(f.nextRun("hourly")).as("the next slot").isEqualTo(START.plus(Duration.ofHours(1)));
        assertThat(f.row("hourly")).containsEntry("last_outcome", "skipped")
                .as("a missed slot says nothing about the launcher").containsEntry("retry_count", 2)
                .containsEntry("last_error", "earlier failure");
    }

    @Test
    void a_slot_within_its_misfire_grace_is_checked() {
        insertWithGrace("hourly", START.minus(Duration.ofMinutes(9)), "10 minutes");
        assertThat(poller.runOnce().launched()).isEqualTo(1);
    }

    @Test
    void a_trigger_is_never_a_misfire() {
        insertWithGrace("hourly", START.plus(Duration.ofHours(1)), "1 minute");
        LamplighterClient.create(f.db.database().dataSource(), f.clock).trigger("hourly");
        f.clock.advance(Duration.ofMinutes(50));

        assertThat(poller.runOnce().launched()).isEqualTo(1);
        assertThat(f.text("SELECT trigger_source FROM lamplighter.decision_log")).isEqualTo("event");
    }

    @Test
    void without_a_misfire_grace_a_late_slot_is_still_checked_once() {
        f.insert("hourly", "L", "0 * * * *", START.minus(Duration.ofDays(3)));
        assertThat(poller.runOnce().launched()).isEqualTo(1);
        assertThat(launcher.checks.get()).isEqualTo(1);
    }

    @Test
    void the_database_rejects_a_misfire_grace_that_is_not_positive() {
        f.insert("hourly", "L", "0 * * * *", START);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.sql(
                "UPDATE lamplighter.scheduled_jobs SET misfire_grace = interval '0 seconds'"))
                .hasMessageContaining("scheduled_jobs_misfire_grace_positive");
    }
}
