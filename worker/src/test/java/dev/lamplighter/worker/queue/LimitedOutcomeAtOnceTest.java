package dev.lamplighter.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.JobHandler;
import dev.lamplighter.worker.internal.queue.WorkerPool;
import dev.lamplighter.worker.internal.queue.WorkerSettings;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The outcome of a job of a limited type is written at once, not with the batch, and the next job
 * of the type is claimed after that write: with the completion flush interval and the poll
 * interval both set to an hour, only that path can run the next job. Jobs of types without a
 * limit stay batched.
 */
@Tag(TestClock.TAG)
class LimitedOutcomeAtOnceTest {

    private static final Instant START = TestClock.start();
    private static final Duration HOUR = Duration.ofHours(1);

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = new MutableClock(START);

    @BeforeEach
    void reset() {
        db.reset();
    }

    private WorkerSettings settings(int threads, Duration drainTimeout) {
        return new WorkerSettings("w1", threads, HOUR, Duration.ofMinutes(5), Duration.ofSeconds(10), HOUR,
                drainTimeout, clock).withCompletionFlush(HOUR);
    }

    private void enqueue(String type, int n, int maxAttempts) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.jobs (job_type, payload, run_at, max_attempts)
                SELECT :type, jsonb_build_object('i', i), CAST(:at AS timestamptz), :max FROM generate_series(1, :n) AS i""")
                .bind("type", type).bind("at", START).bind("n", n).bind("max", maxAttempts).execute());
    }

    private void limit(String type, int maxRunning) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO lamplighter.job_types (job_type, max_running) VALUES (:t, :m)")
                .bind("t", type).bind("m", maxRunning).execute());
    }

    /** Rows of the type in each status, as "status=n" sorted, read from the table now. */
    private String statuses(String type) {
        List<String> rows = jdbi.withHandle(h -> h.createQuery("""
                        SELECT status || '=' || count(*) FROM lamplighter.jobs WHERE job_type = :t GROUP BY status ORDER BY status""")
                .bind("t", type).mapTo(String.class).list());
        return String.join(",", rows);
    }

    private static void runAndStop(WorkerPool pool, CountDownLatch ran) throws InterruptedException {
        try {
            pool.start();
            assertThat(ran.await(30, TimeUnit.SECONDS)).as("every job ran within 30 s").isTrue();
        } finally {
            pool.stop();
        }
    }

    @Test
    void a_limited_jobs_completion_is_committed_without_waiting_for_the_batch_and_the_next_job_is_claimed_after_it()
            throws Exception {
        limit("serial", 1);
        enqueue("serial", 3, 1);
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch ran = new CountDownLatch(3);
        WorkerPool pool = new WorkerPool(jdbi, Map.of("serial", JobHandler.of("serial", ctx -> {
            seen.add(statuses("serial"));
            ran.countDown();
            return Map.of();
        })), settings(2, Duration.ofSeconds(5)));

        runAndStop(pool, ran);

        assertThat(seen).as("what each job saw in the table as it started").containsExactly(
                "queued=2,running=1",
                "completed=1,queued=1,running=1",
                "completed=2,running=1");
        assertThat(statuses("serial")).isEqualTo("completed=3");
    }

    @Test
    void a_limited_jobs_failure_is_committed_without_waiting_for_the_batch_and_frees_its_place() throws Exception {
        limit("serial", 1);
        enqueue("serial", 2, 1);
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch ran = new CountDownLatch(2);
        WorkerPool pool = new WorkerPool(jdbi, Map.of("serial", JobHandler.of("serial", ctx -> {
            seen.add(statuses("serial"));
            ran.countDown();
            if (seen.size() == 1) {
                throw new IllegalStateException("the first one fails");
            }
            return Map.of();
        })), settings(2, Duration.ofSeconds(5)));

        runAndStop(pool, ran);

        assertThat(seen).containsExactly("queued=1,running=1", "failed=1,running=1");
        assertThat(statuses("serial")).isEqualTo("completed=1,failed=1");
    }

    @Test
    void a_completion_of_a_type_without_a_limit_still_waits_for_its_batch() throws Exception {
        enqueue("free", 2, 1);
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch ran = new CountDownLatch(2);
        WorkerPool pool = new WorkerPool(jdbi, Map.of("free", JobHandler.of("free", ctx -> {
            seen.add(statuses("free"));
            ran.countDown();
            return Map.of();
        })), settings(1, Duration.ofMillis(500)).withPrefetch(0));

        runAndStop(pool, ran);

        assertThat(seen).as("the first completion waits for the hour-long batch while the second job runs")
                .containsExactly("queued=1,running=1", "running=2");
    }
}
