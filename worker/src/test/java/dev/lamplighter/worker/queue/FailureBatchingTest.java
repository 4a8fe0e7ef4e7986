package dev.lamplighter.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.JobHandler;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.worker.internal.queue.WorkerPool;
import dev.lamplighter.worker.internal.queue.WorkerSettings;
import dev.lamplighter.worker.testing.LogCapture;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Failed attempts are written in batches like completions, still a compare-and-set per row and one
 * log line per failure; a failure batch that loses its connection is retried and counts each
 * failure once; a stopping node gives its prefetched and unfinished attempts back in one statement.
 */
@Tag(TestClock.TAG)
class FailureBatchingTest {

    private static final Instant START = TestClock.start();
    private static final long HARD_TIMEOUT_S = 60;

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = new MutableClock(START);
    private final LamplighterClient client = LamplighterClient.create(db.database().dataSource(), clock);

    @BeforeEach
    void reset() {
        db.reset();
    }

    private WorkerSettings settings(String node, int threads) {
        return new WorkerSettings(node, threads, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(10),
                Duration.ofHours(1), Duration.ofSeconds(5), clock);
    }

    private Map<String, Object> job(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM lamplighter.jobs WHERE job_id = :id")
                .bind("id", id).mapToMap().one());
    }

    private long count(String where) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM lamplighter.jobs WHERE " + where)
                .mapTo(Long.class).one());
    }

    /** Waits (hard timeout) until {@code done} holds, reading the database. */
    private static void awaitState(String what, Supplier<Boolean> done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HARD_TIMEOUT_S);
        while (!done.get()) {
            assertThat(System.nanoTime() < deadline).as("within %ss: %s", HARD_TIMEOUT_S, what).isTrue();
            Thread.onSpinWait();
        }
    }

    @Test
    void many_failing_jobs_across_pools_each_end_with_the_right_attempts_and_status_and_one_line_per_failure()
            throws Exception {
        int jobs = 600;
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO lamplighter.jobs (job_type, status, payload, job_source, run_at, max_attempts)
                        SELECT 'flaky', 'queued', jsonb_build_object('kind', i % 3), 'api', :now, 3
                        FROM generate_series(1, :n) AS i""")
                .bind("now", START).bind("n", jobs).execute());
        // kind 0: fails twice, then succeeds; kind 1: always fails; kind 2: succeeds at once.
        Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
        AtomicInteger ran = new AtomicInteger();
        JobHandler flaky = JobHandler.of("flaky", ctx -> {
            runs.computeIfAbsent(ctx.jobId(), id -> new AtomicInteger()).incrementAndGet();
            ran.incrementAndGet();
            int kind = ((Number) ctx.payload().get("kind")).intValue();
            if (kind == 1 || (kind == 0 && ctx.attempt() < 3)) {
                throw new IllegalStateException("attempt " + ctx.attempt() + " said no");
            }
            return Map.of("attempt", ctx.attempt());
        });
        List<WorkerPool> pools = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            pools.add(new WorkerPool(jdbi, Map.of("flaky", flaky), settings("node-" + n, 2)));
        }
        List<String> warnings;
        try (LogCapture logs = new LogCapture()) {
            try {
                pools.forEach(WorkerPool::start);
                for (int round = 1; round <= 3; round++) {
                    pools.forEach(WorkerPool::wake);
                    // Every job runs in round 1; kinds 0 and 1 (two thirds) again in rounds 2 and 3.
                    int expectedRuns = jobs + (round - 1) * (2 * jobs / 3);
                    awaitState("round " + round + " ran", () -> ran.get() >= expectedRuns
                            && count("status = 'running'") == 0 && count("status = 'queued' AND run_at <= "
                            + "CAST('" + clock.instant() + "' AS timestamptz)") == 0);
                    clock.advance(Duration.ofHours(2));
                }
            } finally {
                pools.forEach(WorkerPool::stop);
            }
            warnings = logs.warnings();
        }
        int third = jobs / 3;
        assertThat(count("status = 'completed' AND attempts = 3 AND payload->>'kind' = '0'")).isEqualTo(third);
        assertThat(count("status = 'failed' AND attempts = 3 AND payload->>'kind' = '1'"
                + " AND last_error = 'IllegalStateException: attempt 3 said no' AND completed_at IS NOT NULL"))
                .isEqualTo(third);
        assertThat(count("status = 'completed' AND attempts = 1 AND payload->>'kind' = '2'")).isEqualTo(third);
        assertThat(runs.values().stream().mapToInt(AtomicInteger::get).sum()).as("no attempt ran twice")
                .isEqualTo(3 * third + 3 * third + third);
        assertThat(warnings.stream().filter(w -> w.contains("failed, retrying in"))).as("one line per retried failure")
                .hasSize(4 * third);
        assertThat(warnings.stream().filter(w -> w.contains("failed after 3 attempt(s)"))).as("one line per failed job")
                .hasSize(third);
        assertThat(pools.stream().mapToInt(WorkerPool::completedCount).sum()).isEqualTo(2 * third);
    }

    @Test
    void failures_that_end_together_are_written_in_one_transaction() throws Exception {
        int jobs = 8;
        for (int i = 0; i < jobs; i++) {
            client.enqueue(JobRequest.builder("boom").maxAttempts(2).build());
        }
        CountDownLatch allStarted = new CountDownLatch(jobs);
        WorkerPool pool = new WorkerPool(jdbi, Map.of("boom", JobHandler.of("boom", ctx -> {
            allStarted.countDown();
            assertThat(allStarted.await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
            throw new IllegalStateException("boom");
        })), settings("w1", jobs).withCompletionFlush(Duration.ofSeconds(1)));
        assertThat(pool.runOnce()).isEqualTo(jobs);

        assertThat(count("status = 'queued' AND attempts = 1 AND last_error = 'IllegalStateException: boom'"))
                .isEqualTo(jobs);
        long transactions = jdbi.withHandle(h -> h.createQuery(
                "SELECT count(DISTINCT CAST(xmin AS text)) FROM lamplighter.jobs").mapTo(Long.class).one());
        assertThat(transactions).as("one write for all the failures").isEqualTo(1);
        pool.stop();
    }

    @Test
    void a_retried_failure_batch_whose_earlier_try_had_committed_counts_each_failure_once() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(client.enqueue(JobRequest.builder("boom").maxAttempts(3).build()));
        }
        CountDownLatch started = new CountDownLatch(3);
        CountDownLatch proceed = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        WorkerPool pool = new WorkerPool(jdbi, Map.of("boom", JobHandler.of("boom", ctx -> {
            runs.incrementAndGet();
            started.countDown();
            assertThat(proceed.await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
            throw new IllegalStateException("boom");
        })), settings("w1", 3).withCompletionFlush(Duration.ofMillis(500)));
        Thread worker = new Thread(pool::runOnce, "test-run-once");
        worker.start();
        assertThat(started.await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).isTrue();

        List<String> warnings;
        try (LogCapture logs = new LogCapture()) {
            try (Handle holder = jdbi.open()) {
                holder.begin();
                holder.createQuery("SELECT job_id FROM lamplighter.jobs WHERE job_id = :id FOR UPDATE")
                        .bind("id", ids.get(1)).mapTo(Long.class).one();
                proceed.countDown();
                // What the first try's commit looks like for one row when its connection breaks
                // before the reply reaches the worker: that row already failed at this attempt.
                holder.createUpdate("""
                        UPDATE lamplighter.jobs SET status = 'queued', run_at = CAST(:at AS timestamptz),
                               last_error = 'IllegalStateException: boom', locked_by = NULL, locked_until = NULL
                        WHERE job_id = :id""").bind("at", START.plusSeconds(10)).bind("id", ids.get(1)).execute();
                OutcomeRecordingTest.terminateTheBackendWaitingOn(jdbi, holder, "array_position");
                holder.commit();
            }
            worker.join(TimeUnit.SECONDS.toMillis(HARD_TIMEOUT_S));
            assertThat(worker.isAlive()).isFalse();
            warnings = logs.warnings();
        }
        pool.stop();

        for (long id : ids) {
            assertThat(job(id)).as("job %d failed once, queued for its retry", id).containsEntry("status", "queued")
                    .containsEntry("attempts", 1).containsEntry("locked_by", null)
                    .containsEntry("last_error", "IllegalStateException: boom");
            assertThat(warnings.stream().filter(w -> w.contains("Job " + id + " ")))
                    .as("one line for job %d", id).hasSize(1)
                    .allMatch(w -> w.contains("attempt 1/3 failed, retrying in"));
        }
        assertThat(runs.get()).isEqualTo(3);
    }

    @Test
    void stop_gives_back_prefetched_and_unfinished_running_jobs_in_one_statement_without_counting_an_attempt()
            throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(client.enqueue(JobRequest.builder("stuck").priority(10 - i).build()));
        }
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        WorkerPool pool = new WorkerPool(jdbi, Map.of("stuck", JobHandler.of("stuck", ctx -> {
            started.countDown();
            release.await(HARD_TIMEOUT_S, TimeUnit.SECONDS);
            return Map.of();
        })), new WorkerSettings("w1", 2, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(10),
                Duration.ofHours(1), Duration.ofMillis(200), clock).withPrefetch(2));
        try {
            pool.start();
            pool.wake();
            assertThat(started.await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
            assertThat(count("status = 'running'")).as("two running, two prefetched").isEqualTo(4);

            Thread stopping = new Thread(pool::stop, "test-stop");
            stopping.start();
            stopping.join(TimeUnit.SECONDS.toMillis(HARD_TIMEOUT_S));
            assertThat(stopping.isAlive()).isFalse();
        } finally {
            release.countDown();
        }
        for (long id : ids.subList(0, 4)) {
            assertThat(job(id)).as("job %d back in the queue, attempt not counted", id)
                    .containsEntry("status", "queued").containsEntry("attempts", 0).containsEntry("locked_by", null)
                    .containsEntry("last_error", "released by node w1 at shutdown");
        }
        long transactions = jdbi.withHandle(h -> h.createQuery("""
                        SELECT count(DISTINCT CAST(xmin AS text)) FROM lamplighter.jobs
                        WHERE last_error = 'released by node w1 at shutdown'""").mapTo(Long.class).one());
        assertThat(transactions).as("the four released in one statement").isEqualTo(1);
        assertThat(job(ids.get(4))).containsEntry("status", "queued").containsEntry("attempts", 0)
                .containsEntry("last_error", null);
        pool.stop();
    }
}
