package dev.lamplighter.worker.poll;

import static dev.lamplighter.worker.poll.PollFixture.START;
import static dev.lamplighter.worker.poll.PollFixture.byName;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Due schedules are checked in chunks, many per transaction, with the guarantees of one check per
 * transaction: each slot launches at most once however many nodes race, a launcher's failure is its
 * schedule's alone, and a check that breaks the chunk's transaction costs the others nothing.
 */
@Tag(TestClock.TAG)
class ChunkedCheckTest {

    private final PollFixture f = new PollFixture();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger pollLog = (Logger) LoggerFactory.getLogger("dev.lamplighter.worker.internal.poll");

    ChunkedCheckTest() {
        logged.start();
        pollLog.addAppender(logged);
    }

    @AfterEach
    void detach() {
        pollLog.detachAppender(logged);
    }

    /** {@code n} schedules c_0001..c_n, all due at START, checked in name order. */
    private void insertDue(int n) {
        f.sql("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, next_run)
                SELECT 'c_' || lpad(CAST(i AS text), 4, '0'), 'L', 'chunked', '0 * * * *', CAST('%s' AS timestamptz)
                FROM generate_series(1, %d) AS i
                """.formatted(START, n));
    }

    @Test
    void five_pollers_racing_over_1000_due_schedules_launch_each_slot_exactly_once() throws Exception {
        insertDue(1000);
        TestLauncher launcher = TestLauncher.launching("L");
        List<SchedulePoller> pollers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // Distinct lock keys: every poller believes it leads, so only the row locks keep them apart.
            pollers.add(new SchedulePoller(f.jdbi, byName(launcher), f.settings("node-" + i, 1000)
                    .withAdvisoryLockKey(7000L + i)));
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        int launched = 0;
        try {
            List<Future<TickResult>> ticks = new ArrayList<>();
            for (SchedulePoller p : pollers) {
                ticks.add(pool.submit(() -> {
                    go.await();
                    return p.runOnce();
                }));
            }
            go.countDown();
            for (Future<TickResult> t : ticks) {
                TickResult r = t.get(120, TimeUnit.SECONDS);
                assertThat(r.failed()).isZero();
                launched += r.launched();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(launched).isEqualTo(1000);
        assertThat(f.count("SELECT count(*) FROM lamplighter.jobs")).isEqualTo(1000);
        assertThat(f.count("SELECT count(DISTINCT dedup_key) FROM lamplighter.jobs")).isEqualTo(1000);
        assertThat(f.count("SELECT count(*) FROM lamplighter.decision_log")).isEqualTo(1000);
        assertThat(f.count("SELECT count(DISTINCT schedule_name) FROM lamplighter.decision_log WHERE outcome = 'launched'"))
                .isEqualTo(1000);
        assertThat(launcher.checks.get()).as("each slot asked once").isEqualTo(1000);
        assertThat(f.count("SELECT count(*) FROM lamplighter.scheduled_jobs WHERE next_run <= '" + START + "'")).isZero();
        for (SchedulePoller p : pollers) {
            assertThat(p.runOnce().checked()).as("nothing is due twice").isZero();
        }
    }

    @Test
    void a_failing_launcher_in_the_middle_of_a_chunk_fails_only_its_schedule() {
        insertDue(300);
        TestLauncher launcher = new TestLauncher("L", ctx -> {
            switch (ctx.scheduleName()) {
                case "c_0100" -> throw new IllegalStateException("measurement unavailable");
                case "c_0101" -> ctx.connection().createStatement().execute("SELECT 1 / 0");
                default -> { }
            }
            return Decision.launch(Map.of(), "work is waiting");
        });
        SchedulePoller poller = new SchedulePoller(f.jdbi, byName(launcher), f.settings("node-a", 1000));

        TickResult r = poller.runOnce();

        assertThat(r.launched()).isEqualTo(298);
        assertThat(r.failed()).isEqualTo(2);
        assertThat(launcher.checks.get()).as("no chunk was checked twice").isEqualTo(300);
        assertThat(f.row("c_0100")).containsEntry("retry_count", 1).containsEntry("last_outcome", "failed")
                .containsEntry("last_error", "IllegalStateException: measurement unavailable");
        assertThat(f.row("c_0101")).containsEntry("retry_count", 1).containsEntry("last_outcome", "failed");
        assertThat((String) f.row("c_0101").get("last_error")).contains("division by zero");
        assertThat(f.nextRun("c_0100")).isEqualTo(START.plus(Duration.ofMinutes(2)));
        assertThat(f.row("c_0099")).containsEntry("last_outcome", "launched").containsEntry("retry_count", 0);
        assertThat(f.row("c_0102")).containsEntry("last_outcome", "launched");
        assertThat(f.count("SELECT count(*) FROM lamplighter.jobs")).isEqualTo(298);
        assertThat(f.count("SELECT count(*) FROM lamplighter.jobs WHERE schedule_name IN ('c_0100', 'c_0101')")).isZero();
        assertThat(f.count("SELECT count(*) FROM lamplighter.decision_log")).isEqualTo(300);
        assertThat(f.count("SELECT count(*) FROM lamplighter.decision_log WHERE outcome = 'failed'")).isEqualTo(2);
        assertThat(warnings()).as("one line per failure").hasSize(2)
                .allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
    }

    @Test
    void a_check_that_breaks_the_chunks_transaction_is_isolated_and_the_rest_of_the_chunk_is_still_checked() {
        insertDue(300);
        TestLauncher launcher = new TestLauncher("L", ctx -> {
            if (ctx.scheduleName().equals("c_0120")) {
                ctx.connection().rollback();
                return Decision.skip("rolled back everything");
            }
            return Decision.launch(Map.of(), "work is waiting");
        });
        SchedulePoller poller = new SchedulePoller(f.jdbi, byName(launcher), f.settings("node-a", 1000));

        TickResult r = poller.runOnce();

        assertThat(r.launched()).isEqualTo(299);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(f.row("c_0120")).containsEntry("retry_count", 1).containsEntry("last_outcome", "failed");
        assertThat((String) f.row("c_0120").get("last_error")).startsWith("the check's transaction broke (");
        assertThat(f.count("SELECT count(*) FROM lamplighter.jobs")).isEqualTo(299);
        assertThat(f.count("SELECT count(DISTINCT schedule_name) FROM lamplighter.jobs")).isEqualTo(299);
        assertThat(f.count("SELECT count(*) FROM lamplighter.decision_log")).as("one decision per schedule").isEqualTo(300);
        assertThat(f.count("SELECT count(*) FROM lamplighter.scheduled_jobs WHERE last_outcome = 'launched'")).isEqualTo(299);
        assertThat(logged.list).as("the chunk's fallback is said in one line")
                .filteredOn(e -> e.getFormattedMessage().contains("checking them one by one")).hasSize(1);
    }

    @Test
    void an_outcome_the_batched_write_cannot_store_falls_back_and_only_its_schedule_fails() {
        insertDue(50);
        TestLauncher launcher = new TestLauncher("L", ctx -> ctx.scheduleName().equals("c_0007")
                ? Decision.skip("reason with a NUL \u0000 inside")
                : Decision.skip("nothing to do"));
        SchedulePoller poller = new SchedulePoller(f.jdbi, byName(launcher), f.settings("node-a", 1000));

        TickResult r = poller.runOnce();

        assertThat(r.skipped()).isEqualTo(49);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(f.row("c_0007")).containsEntry("retry_count", 1).containsEntry("last_outcome", "failed");
        assertThat(f.count("SELECT count(*) FROM lamplighter.decision_log")).isEqualTo(50);
        assertThat(f.count("SELECT count(*) FROM lamplighter.scheduled_jobs WHERE last_outcome = 'skipped'")).isEqualTo(49);
    }

    @Test
    void in_a_chunk_a_schedule_whose_previous_job_is_still_active_is_skipped_and_the_others_launch() {
        insertDue(3);
        TestLauncher launcher = TestLauncher.launching("L");
        SchedulePoller poller = new SchedulePoller(f.jdbi, byName(launcher), f.settings("node-a", 1000));
        assertThat(poller.runOnce().launched()).isEqualTo(3);
        f.sql("UPDATE lamplighter.jobs SET status = 'completed' WHERE schedule_name <> 'c_0002'");

        f.clock.advance(Duration.ofHours(1));
        TickResult r = poller.runOnce();

        assertThat(r.launched()).isEqualTo(2);
        assertThat(r.skipped()).isEqualTo(1);
        assertThat(launcher.checks.get()).as("the launcher of c_0002 is not asked").isEqualTo(5);
        assertThat(f.text("SELECT reason FROM lamplighter.decision_log WHERE schedule_name = 'c_0002' "
                + "ORDER BY decision_id DESC LIMIT 1")).isEqualTo("previous job 2 is still queued");
        assertThat(f.count("SELECT count(*) FROM lamplighter.jobs WHERE schedule_name = 'c_0002'")).isEqualTo(1);
    }

    @Test
    void a_chunk_whose_job_insert_hits_a_taken_dedup_key_records_a_skip_for_that_schedule_and_launches_the_others() {
        insertDue(5);
        // A job for c_0003's slot exists already (another node's, finished: not an active job).
        f.sql("""
                INSERT INTO lamplighter.jobs (job_type, status, payload, schedule_name, job_source, run_at, dedup_key)
                VALUES ('chunked', 'completed', '{}', 'c_0003', 'scheduled_task', CAST('%s' AS timestamptz),
                        'c_0003@%s')""".formatted(START, START));
        TestLauncher launcher = TestLauncher.launching("L");
        SchedulePoller poller = new SchedulePoller(f.jdbi, byName(launcher), f.settings("node-a", 1000));

        TickResult r = poller.runOnce();

        assertThat(r.launched()).isEqualTo(4);
        assertThat(r.skipped()).isEqualTo(1);
        assertThat(r.failed()).isZero();
        assertThat(launcher.checks.get()).as("every launcher asked once: the chunk did not fall back").isEqualTo(5);
        assertThat(logged.list).filteredOn(e -> e.getFormattedMessage().contains("checking them one by one")).isEmpty();
        assertThat(f.row("c_0003")).containsEntry("last_outcome", "skipped").containsEntry("retry_count", 0)
                .containsEntry("last_error", null);
        assertThat(f.text("SELECT outcome || ': ' || reason || ' ' || coalesce(CAST(job_id AS text), '-') "
                + "FROM lamplighter.decision_log WHERE schedule_name = 'c_0003'"))
                .isEqualTo("skipped: slot " + START + " was already launched -");
        for (String name : List.of("c_0001", "c_0002", "c_0004", "c_0005")) {
            assertThat(f.row(name)).as(name).containsEntry("last_outcome", "launched").containsEntry("retry_count", 0);
            assertThat(f.count("SELECT count(*) FROM lamplighter.jobs j JOIN lamplighter.decision_log d "
                    + "ON d.job_id = j.job_id WHERE d.schedule_name = '" + name + "' AND d.outcome = 'launched' "
                    + "AND j.schedule_name = '" + name + "' AND j.dedup_key = '" + name + "@" + START + "' "
                    + "AND j.status = 'queued'")).as("%s's decision names its own job", name).isEqualTo(1);
        }
        assertThat(f.count("SELECT count(*) FROM lamplighter.jobs")).isEqualTo(5);
        assertThat(f.count("SELECT count(*) FROM lamplighter.scheduled_jobs WHERE next_run <= '" + START + "'"))
                .as("every slot advanced").isZero();
    }

    @Test
    void a_chunk_of_launches_inserts_its_jobs_in_one_statement() {
        insertDue(20);
        SchedulePoller poller = new SchedulePoller(f.jdbi, byName(TestLauncher.launching("L")), f.settings("node-a", 1000));

        assertThat(poller.runOnce().launched()).isEqualTo(20);

        assertThat(f.count("SELECT count(*) FROM lamplighter.jobs")).isEqualTo(20);
        assertThat(f.count("SELECT count(DISTINCT CAST(CAST(cmin AS text) AS integer)) FROM lamplighter.jobs"))
                .as("one command of the chunk's transaction inserted all 20").isEqualTo(1);
        assertThat(f.count("SELECT count(DISTINCT CAST(xmin AS text)) FROM lamplighter.jobs")).isEqualTo(1);
    }

    @Test
    void a_chunk_size_out_of_bounds_is_refused_naming_the_setting_and_what_is_allowed() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.settings("node-a", 1000).withChunkSize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("chunkSize = 0 is not allowed: expected 1 to 10000 schedules per transaction");
    }

    private List<ILoggingEvent> warnings() {
        return logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
    }
}
