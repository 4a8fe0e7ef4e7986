package dev.lamplighter.worker.retention;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.internal.retention.RetentionCleaner;
import dev.lamplighter.worker.internal.retention.RetentionResult;
import dev.lamplighter.worker.internal.retention.RetentionSettings;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The retention cleaner deletes finished jobs and decision-log rows only once they are past their
 * windows, in bounded batches, one node at a time, and never a job that is still waiting or running.
 */
@Tag(TestClock.TAG)
class RetentionCleanerTest {

    private static final Duration COMPLETED = LamplighterConfig.DEFAULT_RETAIN_COMPLETED;
    private static final Duration FAILED = LamplighterConfig.DEFAULT_RETAIN_FAILED;
    private static final Duration DECISIONS = LamplighterConfig.DEFAULT_RETAIN_DECISIONS;

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = TestClock.mutable();
    private final Logger cleanerLog = (Logger) LoggerFactory.getLogger(RetentionCleaner.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Level previousLevel;

    @BeforeEach
    void reset() {
        db.reset();
        previousLevel = cleanerLog.getLevel();
        cleanerLog.setLevel(Level.DEBUG);
        appender.start();
        cleanerLog.addAppender(appender);
    }

    @AfterEach
    void detach() {
        cleanerLog.detachAppender(appender);
        cleanerLog.setLevel(previousLevel);
    }

    private RetentionSettings settings() {
        return RetentionSettings.from(LamplighterConfig.builder().nodeId("r1").clock(clock).build());
    }

    private RetentionCleaner cleaner(RetentionSettings settings) {
        return new RetentionCleaner(jdbi, settings);
    }

    private long job(String status, Instant completedAt) {
        return jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO lamplighter.jobs (job_type, status, completed_at, created_at, run_at, locked_by, locked_until)
                        VALUES ('report', :status, :completedAt, CAST(:created AS timestamptz), CAST(:created AS timestamptz),
                                CASE WHEN :status = 'running' THEN 'n1' END,
                                CASE WHEN :status = 'running' THEN CAST(:created AS timestamptz) + interval '5 minutes' END)
                        RETURNING job_id""")
                .bind("status", status).bind("completedAt", completedAt)
                .bind("created", completedAt == null ? clock.instant().minus(Duration.ofDays(4000)) : completedAt.minusSeconds(60))
                .mapTo(Long.class).one());
    }

    private long decision(Instant decidedAt) {
        return jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO lamplighter.decision_log (schedule_name, slot, decided_at, outcome, reason)
                        VALUES ('s', :at, :at, 'skipped', 'nothing to do') RETURNING decision_id""")
                .bind("at", decidedAt).mapTo(Long.class).one());
    }

    private List<Long> jobIds() {
        return jdbi.withHandle(h -> h.createQuery("SELECT job_id FROM lamplighter.jobs ORDER BY job_id").mapTo(Long.class).list());
    }

    private List<Long> decisionIds() {
        return jdbi.withHandle(h -> h.createQuery("SELECT decision_id FROM lamplighter.decision_log ORDER BY decision_id")
                .mapTo(Long.class).list());
    }

    private Instant ago(Duration d) {
        return clock.instant().minus(d);
    }

    @Test
    void each_finished_status_is_kept_up_to_its_window_and_deleted_once_past_it() {
        List<Long> kept = new ArrayList<>();
        List<Long> deleted = new ArrayList<>();
        record Case(String status, Duration window) { }
        for (Case c : List.of(new Case("completed", COMPLETED), new Case("failed", FAILED),
                new Case("cancelled", FAILED), new Case("rejected", FAILED))) {
            kept.add(job(c.status(), ago(c.window().minusSeconds(1))));   // just inside the window
            kept.add(job(c.status(), ago(c.window())));                   // exactly at it: not older than it
            deleted.add(job(c.status(), ago(c.window().plusSeconds(1)))); // just past it
            deleted.add(job(c.status(), ago(c.window().plusDays(400))));  // long past it
        }
        kept.add(job("failed", ago(COMPLETED.plusDays(1))));              // past the completed window, not the failed one

        RetentionResult result = cleaner(settings()).runOnce();

        assertThat(jobIds()).containsExactlyInAnyOrderElementsOf(kept);
        assertThat(result.completed()).isEqualTo(2);
        assertThat(result.failed()).isEqualTo(6);
        assertThat(result.lockBusy()).isFalse();
    }

    @Test
    void the_cut_off_follows_the_clock_so_a_kept_job_goes_once_its_window_has_passed() {
        long job = job("completed", ago(COMPLETED.minusMinutes(1)));
        assertThat(cleaner(settings()).runOnce().completed()).isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(cleaner(settings()).runOnce().completed()).isEqualTo(1);
        assertThat(jobIds()).doesNotContain(job);
    }

    @Test
    void decision_rows_are_kept_up_to_their_window_and_deleted_once_past_it() {
        long inside = decision(ago(DECISIONS.minusSeconds(1)));
        long at = decision(ago(DECISIONS));
        decision(ago(DECISIONS.plusSeconds(1)));
        decision(ago(DECISIONS.plusDays(1000)));

        RetentionResult result = cleaner(settings()).runOnce();

        assertThat(result.decisions()).isEqualTo(2);
        assertThat(decisionIds()).containsExactly(inside, at);
    }

    @Test
    void waiting_queued_and_running_jobs_are_never_deleted_however_old() {
        Instant ancient = ago(Duration.ofDays(3000));
        List<Long> active = List.of(job("awaiting_approval", ancient), job("queued", ancient), job("running", ancient),
                job("awaiting_approval", null), job("queued", null), job("running", null));

        RetentionResult result = cleaner(settings()).runOnce();

        assertThat(result.deleted()).isZero();
        assertThat(jobIds()).containsExactlyElementsOf(active);
    }

    @Test
    void a_finished_job_without_completed_at_is_kept_rather_than_guessed_at() {
        long broken = job("completed", null);
        assertThat(cleaner(settings()).runOnce().deleted()).isZero();
        assertThat(jobIds()).containsExactly(broken);
    }

    @Test
    void a_window_of_forever_keeps_its_kind_and_the_others_are_still_cleaned() {
        long completed = job("completed", ago(Duration.ofDays(3000)));
        job("failed", ago(Duration.ofDays(3000)));
        long decision = decision(ago(Duration.ofDays(3000)));
        RetentionSettings keepCompletedAndDecisions = RetentionSettings.from(LamplighterConfig.builder().nodeId("r1")
                .clock(clock).retainCompleted(LamplighterConfig.RETAIN_FOREVER)
                .retainDecisions(LamplighterConfig.RETAIN_FOREVER).build());

        RetentionResult result = cleaner(keepCompletedAndDecisions).runOnce();

        assertThat(result.failed()).isEqualTo(1);
        assertThat(jobIds()).containsExactly(completed);
        assertThat(decisionIds()).containsExactly(decision);
    }

    private void oldCompletedJobs(int n) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO lamplighter.jobs (job_type, status, completed_at, created_at)
                        SELECT 'report', 'completed', CAST(:at AS timestamptz) - i * interval '1 second', CAST(:at AS timestamptz)
                        FROM generate_series(1, :n) AS i""")
                .bind("at", ago(COMPLETED.plusDays(1))).bind("n", n).execute());
    }

    @Test
    void thirty_five_rows_with_a_batch_of_ten_are_deleted_in_four_batches_the_last_one_short() {
        oldCompletedJobs(35);

        RetentionResult result = cleaner(settings().withBatch(10, 100)).runOnce();

        assertThat(result.batches()).containsExactly(10, 10, 10, 5);
        assertThat(result.completed()).isEqualTo(35);
        assertThat(result.limitReached()).isFalse();
        assertThat(jobIds()).isEmpty();
    }

    @Test
    void a_run_stops_at_its_batch_limit_and_the_next_run_takes_the_rest_oldest_first() {
        oldCompletedJobs(35);
        long newest = jdbi.withHandle(h -> h.createQuery(
                "SELECT job_id FROM lamplighter.jobs ORDER BY completed_at DESC LIMIT 1").mapTo(Long.class).one());
        RetentionCleaner cleaner = cleaner(settings().withBatch(10, 2));

        RetentionResult first = cleaner.runOnce();
        assertThat(first.batches()).containsExactly(10, 10);
        assertThat(first.limitReached()).isTrue();
        assertThat(jobIds()).hasSize(15).contains(newest);

        RetentionResult second = cleaner.runOnce();
        assertThat(second.batches()).containsExactly(10, 5);
        assertThat(jobIds()).isEmpty();
    }

    @Test
    void a_node_that_finds_the_retention_lock_taken_deletes_nothing_and_ends_its_run() {
        long old = job("completed", ago(COMPLETED.plusDays(1)));
        try (Handle other = jdbi.open()) {   // another node, in the middle of a batch
            other.begin();
            assertThat(other.createQuery("SELECT pg_try_advisory_xact_lock(:key)")
                    .bind("key", RetentionSettings.DEFAULT_LOCK_KEY).mapTo(Boolean.class).one()).isTrue();

            RetentionResult blocked = cleaner(settings()).runOnce();

            assertThat(blocked.lockBusy()).isTrue();
            assertThat(blocked.deleted()).isZero();
            assertThat(blocked.batches()).isEmpty();
            assertThat(jobIds()).containsExactly(old);
            other.rollback();
        }
        assertThat(cleaner(settings()).runOnce().completed()).isEqualTo(1);
    }

    @Test
    void the_poll_loops_lock_does_not_stop_the_cleaner() {
        job("completed", ago(COMPLETED.plusDays(1)));
        try (Handle poller = jdbi.open()) {
            poller.begin();
            poller.createQuery("SELECT pg_try_advisory_xact_lock(:key)")
                    .bind("key", LamplighterConfig.DEFAULT_ADVISORY_LOCK_KEY).mapTo(Boolean.class).one();
            assertThat(cleaner(settings()).runOnce().completed()).isEqualTo(1);
            poller.rollback();
        }
    }

    @Test
    void two_nodes_cleaning_at_once_delete_each_row_once_and_at_most_one_gives_way() throws Exception {
        oldCompletedJobs(2000);
        CyclicBarrier start = new CyclicBarrier(2);
        // A thread per node: the common pool may have a single thread on a small machine, and the
        // two runs must be able to wait for each other at the barrier.
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<Future<RetentionResult>> runs = new ArrayList<>();
        try {
            for (String node : List.of("r1", "r2")) {
                RetentionCleaner cleaner = cleaner(settings().withNodeId(node).withBatch(10, 1000));
                runs.add(threads.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return cleaner.runOnce();
                }));
            }
        } finally {
            threads.shutdown();
        }
        RetentionResult a = runs.get(0).get(60, TimeUnit.SECONDS);
        RetentionResult b = runs.get(1).get(60, TimeUnit.SECONDS);

        assertThat(a.completed() + b.completed()).isEqualTo(2000);
        assertThat(jobIds()).isEmpty();
        assertThat(a.lockBusy() && b.lockBusy()).as("both gave way").isFalse();
    }

    @Test
    void a_run_that_deleted_something_logs_one_info_line_and_an_idle_run_logs_nothing_at_info() {
        oldCompletedJobs(3);
        decision(ago(DECISIONS.plusDays(1)));
        RetentionCleaner cleaner = cleaner(settings());

        cleaner.runOnce();
        cleaner.runOnce();

        List<String> info = appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(info).hasSize(1);
        assertThat(info.get(0)).startsWith("Retention on node r1 deleted completed=3 failed=0 decisions=1 in ");
    }
}
