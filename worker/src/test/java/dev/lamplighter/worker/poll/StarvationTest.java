package dev.lamplighter.worker.poll;

import static dev.lamplighter.worker.poll.PollFixture.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.Decision;
import dev.lamplighter.worker.internal.poll.SchedulePoller;
import dev.lamplighter.worker.internal.poll.TickResult;
import dev.lamplighter.worker.testing.TestClock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Rows that stay due by design (unknown launcher, missing capability) never crowd out the rest. */
@Tag(TestClock.TAG)
class StarvationTest {

    private static final int BATCH = 5;

    private final PollFixture f = new PollFixture();

    private void insertStuck(int unknownLauncher, int needingLlm) {
        f.sql("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, next_run)
                SELECT 'unknown_' || i, 'NoSuchLauncher', 'x', '0 * * * *', CAST('%1$s' AS timestamptz) - i * interval '1 minute'
                FROM generate_series(1, %2$d) AS i
                """.formatted(START, unknownLauncher));
        f.sql("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, requires, next_run)
                SELECT 'llm_' || i, 'L', 'x', '0 * * * *', '{llm}', CAST('%1$s' AS timestamptz) - i * interval '1 minute'
                FROM generate_series(1, %2$d) AS i
                """.formatted(START, needingLlm));
    }

    private SchedulePoller poller(TestLauncher launcher) {
        return new SchedulePoller(f.jdbi, PollFixture.byName(launcher), f.settings("node-a", BATCH));
    }

    @Test
    void more_stuck_rows_than_the_batch_limit_do_not_keep_a_checkable_schedule_from_running() {
        insertStuck(3 * BATCH, 3 * BATCH);
        f.insert("good", "L", "0 * * * *", START);
        TestLauncher launcher = TestLauncher.launching("L");

        TickResult first = poller(launcher).runOnce();

        assertThat(first.launched()).isEqualTo(1);
        assertThat(f.row("good")).containsEntry("last_outcome", "launched");
        assertThat(f.count("SELECT count(*) FROM lamplighter.scheduled_jobs WHERE last_error LIKE '%stays due for a node%'"))
                .as("each stuck row reported").isEqualTo(6 * BATCH);
        assertThat(f.count("SELECT count(*) FROM lamplighter.scheduled_jobs WHERE name <> 'good' AND next_run <= '"
                + START + "'")).as("left due for a node that can check them").isEqualTo(6 * BATCH);
    }

    @Test
    void stuck_rows_are_reported_once_in_bounded_passes() {
        insertStuck(150, 0);
        SchedulePoller poller = poller(TestLauncher.launching("L"));

        assertThat(poller.runOnce().notChecked()).as("at most 100 per tick").isEqualTo(100);
        assertThat(poller.runOnce().notChecked()).isEqualTo(50);
        assertThat(poller.runOnce().notChecked()).as("each once").isZero();
        assertThat(f.count("SELECT count(*) FROM lamplighter.scheduled_jobs WHERE last_error IS NOT NULL")).isEqualTo(150);
    }

    @Test
    void a_node_with_the_capability_checks_rows_another_node_leaves() {
        insertStuck(0, 2 * BATCH);
        TestLauncher launcher = TestLauncher.launching("L");
        SchedulePoller plain = poller(launcher);
        assertThat(plain.runOnce().checked()).isZero();

        SchedulePoller llm = new SchedulePoller(f.jdbi, PollFixture.byName(launcher),
                f.settings("node-llm", BATCH).withCapabilities(Set.of("llm")));
        TickResult r = llm.runOnce();
        assertThat(r.launched()).isEqualTo(BATCH);
        assertThat(r.moreDue()).isTrue();
    }

    @Test
    void a_tick_that_hits_its_batch_limit_is_followed_by_the_next_at_once() throws Exception {
        f.sql("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, next_run)
                SELECT 'many_' || i, 'L', 'x', '0 * * * *', CAST('%s' AS timestamptz) - i * interval '1 second'
                FROM generate_series(1, 12) AS i
                """.formatted(START));
        CountDownLatch twelve = new CountDownLatch(12);
        TestLauncher launcher = new TestLauncher("L", ctx -> {
            twelve.countDown();
            return Decision.skip("counted");
        });
        SchedulePoller poller = poller(launcher);
        poller.start();
        try {
            assertThat(twelve.await(20, TimeUnit.SECONDS))
                    .as("three ticks in a row, not one per 60 s poll interval").isTrue();
        } finally {
            poller.stop();
        }
        assertThat(f.count("SELECT count(*) FROM lamplighter.decision_log")).isEqualTo(12);
        assertThat(Duration.ofSeconds(60)).isEqualTo(f.settings("x", 1).pollInterval());
    }
}
