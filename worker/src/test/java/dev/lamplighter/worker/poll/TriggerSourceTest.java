package dev.lamplighter.worker.poll;

import static dev.lamplighter.worker.poll.PollFixture.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.TriggerSource;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.internal.poll.SchedulePoller;
import dev.lamplighter.worker.testing.TestClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every trigger source is recorded as what it was, however often and however concurrently. */
@Tag(TestClock.TAG)
class TriggerSourceTest {

    private final PollFixture f = new PollFixture();
    private final LamplighterClient client = LamplighterClient.create(f.db.database().dataSource(), f.clock);
    private final SchedulePoller poller = f.poller(TestLauncher.launching("L"));

    private String lastSource() {
        return f.text("SELECT trigger_source FROM lamplighter.decision_log ORDER BY decision_id DESC LIMIT 1");
    }

    private void completeJobs() {
        f.sql("UPDATE lamplighter.jobs SET status = 'completed'");
    }

    @Test
    void repeated_event_triggers_before_the_check_are_recorded_as_event() {
        f.insert("anneal", "L", "0 * * * *", START.plus(Duration.ofHours(1)));
        for (int triggers : new int[] {2, 3}) {
            for (int i = 0; i < triggers; i++) {
                client.trigger("anneal");
                f.clock.advance(Duration.ofSeconds(1));
            }
            assertThat(poller.runOnce().launched()).isEqualTo(1);
            assertThat(lastSource()).as("after %d event triggers", triggers).isEqualTo("event");
            completeJobs();
        }

        f.clock.set(START.plus(Duration.ofHours(1)));
        assertThat(poller.runOnce().launched()).isEqualTo(1);
        assertThat(lastSource()).as("the next slot of the timetable").isEqualTo("cron");
    }

    @Test
    void an_event_then_a_manual_sql_update_is_recorded_as_manual_and_the_reverse_as_event() {
        f.insert("anneal", "L", "0 * * * *", START.plus(Duration.ofHours(1)));
        client.trigger("anneal");
        f.sql("UPDATE lamplighter.scheduled_jobs SET next_run = '" + f.clock.instant().minusSeconds(1)
                + "' WHERE name = 'anneal'");
        assertThat(poller.runOnce().launched()).isEqualTo(1);
        assertThat(lastSource()).isEqualTo("manual");

        completeJobs();
        f.clock.advance(Duration.ofMinutes(1));
        f.sql("UPDATE lamplighter.scheduled_jobs SET next_run = '" + f.clock.instant().minusSeconds(1)
                + "' WHERE name = 'anneal'");
        client.trigger("anneal");
        assertThat(poller.runOnce().launched()).isEqualTo(1);
        assertThat(lastSource()).isEqualTo("event");

        completeJobs();
        f.clock.advance(Duration.ofMinutes(1));
        client.trigger("anneal", TriggerSource.MANUAL);
        f.clock.advance(Duration.ofSeconds(1));
        client.trigger("anneal", TriggerSource.MANUAL);
        assertThat(poller.runOnce().launched()).isEqualTo(1);
        assertThat(lastSource()).as("the CLI's trigger, twice").isEqualTo("manual");
    }

    @Test
    void racing_event_triggers_from_two_connections_are_recorded_as_event() throws Exception {
        f.insert("anneal", "L", "0 * * * *", START.plus(Duration.ofHours(1)));
        assertThat(raceAgainstHeldTrigger(TriggerSource.EVENT, TriggerSource.EVENT)).isEqualTo("event");
        completeJobs();
        assertThat(raceAgainstHeldTrigger(TriggerSource.EVENT, TriggerSource.MANUAL)).as("the later one").isEqualTo("manual");
        completeJobs();
        assertThat(raceAgainstHeldTrigger(TriggerSource.MANUAL, TriggerSource.EVENT)).isEqualTo("event");
    }

    /**
     * One connection triggers in an open transaction (holding the row); a second triggers from
     * another connection and waits for the row; then the first commits and the second goes on.
     */
    private String raceAgainstHeldTrigger(TriggerSource first, TriggerSource second) throws Exception {
        try (Connection held = f.db.database().dataSource().getConnection()) {
            held.setAutoCommit(false);
            try (PreparedStatement ps = held.prepareStatement(SqlFiles.load("scheduled_jobs/trigger"))) {
                ps.setTimestamp(1, Timestamp.from(f.clock.instant()));
                ps.setString(2, first.dbValue());
                ps.setString(3, "anneal");
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            f.clock.advance(Duration.ofSeconds(1));
            CompletableFuture<Boolean> racing = CompletableFuture.supplyAsync(() -> client.trigger("anneal", second));
            waitUntilBlockedOnTheRow();
            held.commit();
            assertThat(racing.get(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(poller.runOnce().launched()).isEqualTo(1);
        f.clock.advance(Duration.ofMinutes(1));
        return lastSource();
    }

    private void waitUntilBlockedOnTheRow() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (f.count("""
                SELECT count(*) FROM pg_stat_activity
                WHERE wait_event_type = 'Lock' AND query LIKE '%lamplighter.scheduled_jobs%'
                """) == 0) {
            assertThat(System.nanoTime()).as("the second trigger waits for the row").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
