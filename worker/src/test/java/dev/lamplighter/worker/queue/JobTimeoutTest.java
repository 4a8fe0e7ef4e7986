package dev.lamplighter.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.JobHandler;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.internal.config.EnvironmentConfig;
import dev.lamplighter.worker.internal.queue.WorkerPool;
import dev.lamplighter.worker.internal.queue.WorkerSettings;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A hung handler does not run forever: each attempt has a time limit (the job's, else the
 * handler's, else the node's), after which its thread is interrupted, its lease is no longer
 * renewed, its slot is freed, and the attempt fails and is retried like any failure. The limits
 * are real short durations (200 ms); the test waits for their outcome on latches inside a hard
 * timeout, never for a duration.
 */
@Tag(TestClock.TAG)
class JobTimeoutTest {

    private static final Instant START = TestClock.start();
    private static final Duration LIMIT = Duration.ofMillis(200);
    private static final long HARD_TIMEOUT_S = 30;

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = new MutableClock(START);
    private final LamplighterClient client = LamplighterClient.create(db.database().dataSource(), clock);

    @BeforeEach
    void reset() {
        db.reset();
    }

    private WorkerSettings settings(int threads) {
        return new WorkerSettings("w1", threads, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(10),
                Duration.ofHours(1), Duration.ofMillis(200), clock);
    }

    private Map<String, Object> job(long id) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT *, CAST(result AS text) AS result_text FROM lamplighter.jobs WHERE job_id = :id")
                .bind("id", id).mapToMap().one());
    }

    /** A handler that blocks until interrupted, and lets the interrupt end it. */
    private static JobHandler honouringInterrupts(String type, CountDownLatch interrupted) {
        return JobHandler.of(type, ctx -> {
            try {
                new CountDownLatch(1).await(HARD_TIMEOUT_S, TimeUnit.SECONDS);
                throw new AssertionError("the handler was not interrupted");
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        });
    }

    private static void runOnceWithin(WorkerPool pool) throws InterruptedException {
        Thread t = new Thread(pool::runOnce, "test-run-once");
        t.start();
        t.join(TimeUnit.SECONDS.toMillis(HARD_TIMEOUT_S));
        assertThat(t.isAlive()).as("the batch finished").isFalse();
    }

    @Test
    void a_handler_that_honours_the_interrupt_fails_its_attempt_with_the_timeout_and_is_retried_with_backoff()
            throws Exception {
        long id = client.enqueue(JobRequest.builder("hang").timeout(LIMIT).maxAttempts(3).build());
        CountDownLatch interrupted = new CountDownLatch(1);
        WorkerPool pool = new WorkerPool(jdbi, Map.of("hang", honouringInterrupts("hang", interrupted)), settings(1));

        runOnceWithin(pool);

        assertThat(interrupted.getCount()).as("the handler's thread was interrupted").isZero();
        Map<String, Object> row = job(id);
        assertThat(row).containsEntry("status", "queued").containsEntry("attempts", 1).containsEntry("locked_by", null)
                .containsEntry("last_error", "timed out after 200ms (job timeout)");
        Duration wait = Duration.between(clock.instant(), ((Timestamp) row.get("run_at")).toInstant());
        assertThat(wait).as("retried with backoff").isBetween(Duration.ofSeconds(10), Duration.ofSeconds(11));
        assertThat(pool.abandonedThreads()).isZero();
    }

    @Test
    void a_handler_that_ignores_the_interrupt_loses_its_lease_renewal_and_its_slot_and_its_late_result_is_dropped()
            throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch letItReturn = new CountDownLatch(1);
        CountDownLatch nextRan = new CountDownLatch(1);
        CountDownLatch hangStarted = new CountDownLatch(1);
        JobHandler stubborn = JobHandler.of("hang", ctx -> {
            hangStarted.countDown();
            while (true) {
                try {
                    if (letItReturn.await(HARD_TIMEOUT_S, TimeUnit.SECONDS)) {
                        return Map.of("late", true);
                    }
                } catch (InterruptedException e) {
                    interrupted.countDown();   // ... and carries on waiting
                }
            }
        }).withTimeout(LIMIT);
        JobHandler next = JobHandler.of("next", ctx -> {
            nextRan.countDown();
            return Map.of();
        });
        long hang = client.enqueue(JobRequest.builder("hang").priority(9).build());
        long after = client.enqueue(JobRequest.builder("next").build());
        // No prefetch: the lease counts below are the stubborn attempt's alone (a prefetched "next"
        // would hold a lease that the heartbeat renews too).
        WorkerPool pool = new WorkerPool(jdbi, Map.of("hang", stubborn, "next", next), settings(1).withPrefetch(0));
        try {
            pool.start();
            pool.wake();
            assertThat(hangStarted.await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
            assertThat(pool.renewLeases()).as("within its limit, the lease is renewed").isEqualTo(1);

            assertThat(interrupted.await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).as("interrupted at its limit").isTrue();
            assertThat(pool.renewLeases()).as("past its limit, the lease is no longer renewed").isZero();

            assertThat(nextRan.await(HARD_TIMEOUT_S, TimeUnit.SECONDS))
                    .as("the only worker slot is freed while the stubborn thread still runs").isTrue();
            assertThat(pool.abandonedThreads()).isEqualTo(1);
            assertThat(job(hang)).containsEntry("status", "queued").containsEntry("attempts", 1)
                    .containsEntry("locked_by", null)
                    .containsEntry("last_error", "timed out after 200ms (handler timeout); the handler ignored the interrupt");
        } finally {
            letItReturn.countDown();
            pool.stop();
        }
        assertThat(job(hang)).as("the late result is dropped").containsEntry("status", "queued")
                .containsEntry("result_text", null);
        assertThat(job(after)).containsEntry("status", "completed");
    }

    @Test
    void the_job_timeout_wins_over_the_handler_timeout_which_wins_over_the_node_default() throws Exception {
        long jobLimit = client.enqueue(JobRequest.builder("a").timeout(LIMIT).build());
        long handlerLimit = client.enqueue(JobRequest.builder("b").build());
        long nodeLimit = client.enqueue(JobRequest.builder("c").build());
        CountDownLatch interrupted = new CountDownLatch(3);
        WorkerPool pool = new WorkerPool(jdbi, Map.of(
                "a", honouringInterrupts("a", interrupted).withTimeout(Duration.ofMillis(300)),
                "b", honouringInterrupts("b", interrupted).withTimeout(Duration.ofMillis(250)),
                "c", honouringInterrupts("c", interrupted)), settings(3).withJobTimeout(Duration.ofMillis(300)));

        runOnceWithin(pool);

        assertThat(job(jobLimit)).containsEntry("last_error", "timed out after 200ms (job timeout)");
        assertThat(job(handlerLimit)).containsEntry("last_error", "timed out after 250ms (handler timeout)");
        assertThat(job(nodeLimit)).containsEntry("last_error", "timed out after 300ms (node default LAMPLIGHTER_JOB_TIMEOUT)");
    }

    @Test
    void a_bad_timeout_is_refused_with_the_setting_the_value_and_what_is_allowed() {
        assertThat(EnvironmentConfig.fromEnvironment(Map.of()).build().jobTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(EnvironmentConfig.fromEnvironment(Map.of("LAMPLIGHTER_JOB_TIMEOUT", "90s")).build().jobTimeout())
                .isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> EnvironmentConfig.fromEnvironment(Map.of("LAMPLIGHTER_JOB_TIMEOUT", "500ms")).build())
                .hasMessage("jobTimeout (LAMPLIGHTER_JOB_TIMEOUT) = 500ms is not allowed: expected from 1s to 168h");
        assertThatThrownBy(() -> EnvironmentConfig.fromEnvironment(Map.of("LAMPLIGHTER_JOB_TIMEOUT", "forever")))
                .hasMessage("LAMPLIGHTER_JOB_TIMEOUT = \"forever\" is not allowed: expected a duration such as 500ms, 30s, 2m, 1h or PT1M");
        assertThatThrownBy(() -> LamplighterConfig.builder().jobTimeout(null).build())
                .hasMessage("jobTimeout (LAMPLIGHTER_JOB_TIMEOUT) = null is not allowed: expected from 1s to 168h");
        assertThatThrownBy(() -> JobRequest.builder("t").timeout(Duration.ZERO).build())
                .hasMessage("timeout = PT0S is not allowed: expected from 1 ms to 7 days (PT0.001S to PT168H)");
        assertThatThrownBy(() -> JobHandler.of("t", ctx -> Map.of()).withTimeout(Duration.ofDays(8)))
                .hasMessage("timeout = PT192H is not allowed: expected from 1 ms to 7 days (PT0.001S to PT168H)");
        long id = client.enqueue(JobRequest.builder("t").build());
        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("UPDATE lamplighter.jobs SET timeout_ms = 0 WHERE job_id = ?", id)))
                .as("a row broken by SQL is refused by the database").hasMessageContaining("jobs_timeout_ms_positive");
    }
}
