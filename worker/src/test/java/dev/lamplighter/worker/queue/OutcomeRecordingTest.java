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
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * "The handler failed" and "recording the outcome failed" are different things: a completion or
 * failure write that loses its connection is retried, never counted as a handler failure, and a
 * stale attempt cannot write over a newer one. The connection loss is real: the write is made to
 * wait on a row lock held by another session, and its backend is terminated while it waits.
 */
@Tag(TestClock.TAG)
class OutcomeRecordingTest {

    private static final Instant START = TestClock.start();
    private static final long HARD_TIMEOUT_S = 30;

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = new MutableClock(START);
    private final LamplighterClient client = LamplighterClient.create(db.database().dataSource(), clock);

    @BeforeEach
    void reset() {
        db.reset();
    }

    private WorkerSettings settings() {
        return new WorkerSettings("w1", 1, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(10),
                Duration.ofHours(1), Duration.ofMillis(200), clock);
    }

    private Map<String, Object> job(long id) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT *, CAST(result AS text) AS result_text FROM lamplighter.jobs WHERE job_id = :id")
                .bind("id", id).mapToMap().one());
    }

    /** A handler that signals when it starts and returns (or throws) once the test lets it. */
    private record Gate(CountDownLatch started, CountDownLatch proceed, AtomicInteger runs) {
        static Gate create() {
            return new Gate(new CountDownLatch(1), new CountDownLatch(1), new AtomicInteger());
        }

        JobHandler handler(String type, boolean fail) {
            return JobHandler.of(type, ctx -> {
                runs.incrementAndGet();
                started.countDown();
                assertThat(proceed.await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
                if (fail) {
                    throw new IllegalStateException("upstream said no");
                }
                return Map.of("ok", true);
            });
        }
    }

    /** Runs one batch on its own thread, as the worker loop would. */
    private static Thread runOnceInBackground(WorkerPool pool) {
        Thread t = new Thread(pool::runOnce, "test-run-once");
        t.start();
        return t;
    }

    /** Holds the job's row lock in another session, so that the worker's write on it waits. */
    private Handle lockRow(long jobId) {
        Handle holder = jdbi.open();
        holder.begin();
        holder.createQuery("SELECT job_id FROM lamplighter.jobs WHERE job_id = :id FOR UPDATE")
                .bind("id", jobId).mapTo(Long.class).one();
        return holder;
    }

    private void terminateTheBackendWaitingOn(Handle holder, String text) {
        terminateTheBackendWaitingOn(jdbi, holder, text);
    }

    /** Waits (hard timeout) until a statement that contains {@code text} waits on the holder's lock; kills its backend. */
    static void terminateTheBackendWaitingOn(Jdbi jdbi, Handle holder, String text) {
        int holderPid = holder.createQuery("SELECT pg_backend_pid()").mapTo(Integer.class).one();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HARD_TIMEOUT_S);
        Optional<Integer> waiting = Optional.empty();
        while (waiting.isEmpty() && System.nanoTime() < deadline) {
            waiting = jdbi.withHandle(h -> h.createQuery("""
                            SELECT pid FROM pg_stat_activity
                            WHERE :holder = ANY (pg_blocking_pids(pid)) AND query LIKE :text""")
                    .bind("holder", holderPid).bind("text", "%" + text + "%").mapTo(Integer.class).findFirst());
        }
        assertThat(waiting).as("a write containing '%s' waits on the row lock", text).isPresent();
        int pid = waiting.get();
        boolean killed = jdbi.withHandle(h -> h.createQuery("SELECT pg_terminate_backend(:pid)")
                .bind("pid", pid).mapTo(Boolean.class).one());
        assertThat(killed).isTrue();
    }

    private static void join(Thread t) throws InterruptedException {
        t.join(TimeUnit.SECONDS.toMillis(HARD_TIMEOUT_S));
        assertThat(t.isAlive()).as("the attempt finished").isFalse();
    }

    @Test
    void a_completion_that_loses_its_connection_is_retried_not_counted_as_a_failure() throws Exception {
        jdbi.useHandle(h -> h.execute("INSERT INTO lamplighter.counters (name, value, consumed) VALUES ('changes', 5, 0)"));
        long id;
        try (Connection c = db.database().dataSource().getConnection()) {
            id = LamplighterClient.insertJob(c, "work", "queued", Map.of(), null, false, "api", 0, START, 1, null,
                    Map.of("changes", 5L));
        }
        Gate gate = Gate.create();
        WorkerPool pool = new WorkerPool(jdbi, Map.of("work", gate.handler("work", false)), settings());
        Thread worker = runOnceInBackground(pool);
        assertThat(gate.started().await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).isTrue();

        try (Handle holder = lockRow(id)) {
            gate.proceed().countDown();
            terminateTheBackendWaitingOn(holder, "'completed'");
            holder.rollback();
        }
        join(worker);

        assertThat(job(id)).as("the last (only) attempt succeeded, so the job completed")
                .containsEntry("status", "completed").containsEntry("attempts", 1)
                .containsEntry("result_text", "{\"ok\": true}").containsEntry("locked_by", null)
                .containsEntry("last_error", null);
        assertThat(gate.runs().get()).as("the handler ran once").isEqualTo(1);
        long consumed = jdbi.withHandle(h -> h.createQuery("SELECT consumed FROM lamplighter.counters WHERE name = 'changes'")
                .mapTo(Long.class).one());
        assertThat(consumed).as("counters move with the completion").isEqualTo(5);
        assertThat(pool.completedCount()).isEqualTo(1);
    }

    @Test
    void a_retried_completion_whose_earlier_try_had_committed_counts_the_job_completed_not_dropped() throws Exception {
        long id = client.enqueue(JobRequest.builder("work").maxAttempts(1).build());
        Gate gate = Gate.create();
        WorkerPool pool = new WorkerPool(jdbi, Map.of("work", gate.handler("work", false)), settings());
        Thread worker = runOnceInBackground(pool);
        assertThat(gate.started().await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).isTrue();

        try (LogCapture logs = new LogCapture()) {
            try (Handle holder = lockRow(id)) {
                gate.proceed().countDown();
                // What the first try's commit looks like when its connection breaks before the reply
                // reaches the worker: the row is completed at this attempt.
                holder.createUpdate("""
                        UPDATE lamplighter.jobs SET status = 'completed', result = '{"ok": true}', completed_at = :now,
                               locked_by = NULL, locked_until = NULL
                        WHERE job_id = :id""").bind("now", START).bind("id", id).execute();
                terminateTheBackendWaitingOn(holder, "'completed'");
                holder.commit();
            }
            join(worker);
            assertThat(logs.warnings()).as("no 'result is dropped' warning").noneMatch(w -> w.contains("dropped"));
        }
        assertThat(job(id)).containsEntry("status", "completed").containsEntry("attempts", 1);
        assertThat(pool.completedCount()).isEqualTo(1);
        assertThat(gate.runs().get()).isEqualTo(1);
    }

    @Test
    void a_failure_write_that_loses_its_connection_is_retried_and_counts_the_handler_failure_once() throws Exception {
        long id = client.enqueue(JobRequest.builder("work").maxAttempts(3).build());
        Gate gate = Gate.create();
        WorkerPool pool = new WorkerPool(jdbi, Map.of("work", gate.handler("work", true)), settings());
        Thread worker = runOnceInBackground(pool);
        assertThat(gate.started().await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).isTrue();

        try (Handle holder = lockRow(id)) {
            gate.proceed().countDown();
            terminateTheBackendWaitingOn(holder, "max_attempts");
            holder.rollback();
        }
        join(worker);

        Map<String, Object> row = job(id);
        assertThat(row).as("queued for its retry with the handler's error, not stuck as running")
                .containsEntry("status", "queued").containsEntry("attempts", 1).containsEntry("locked_by", null)
                .containsEntry("last_error", "IllegalStateException: upstream said no");
        Duration wait = Duration.between(clock.instant(), ((Timestamp) row.get("run_at")).toInstant());
        assertThat(wait).as("retried with backoff").isBetween(Duration.ofSeconds(10), Duration.ofSeconds(11));
        assertThat(gate.runs().get()).isEqualTo(1);
    }

    @Test
    void an_attempt_taken_back_and_claimed_again_cannot_be_completed_by_the_old_one() throws Exception {
        long id = client.enqueue(JobRequest.builder("work").maxAttempts(3).build());
        Gate gate = Gate.create();
        WorkerPool pool = new WorkerPool(jdbi, Map.of("work", gate.handler("work", false)), settings());
        Thread worker = runOnceInBackground(pool);
        assertThat(gate.started().await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).isTrue();

        // While attempt 1 runs, its lease is taken back and the job claimed again by a node with the
        // same id (a restart that kept LAMPLIGHTER_NODE_ID): attempt 2 now owns the row.
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE lamplighter.jobs SET attempts = 2, locked_until = CAST(:until AS timestamptz)
                        WHERE job_id = :id""")
                .bind("until", START.plus(Duration.ofMinutes(5))).bind("id", id).execute());
        gate.proceed().countDown();
        join(worker);

        assertThat(job(id)).as("attempt 2 still owns the job; attempt 1's result is dropped")
                .containsEntry("status", "running").containsEntry("attempts", 2).containsEntry("locked_by", "w1")
                .containsEntry("result_text", null);
        assertThat(pool.completedCount()).isZero();
    }

    @Test
    void a_result_the_database_refuses_fails_the_attempt_with_the_reason_instead_of_retrying_the_write() {
        long id = client.enqueue(JobRequest.builder("nul").maxAttempts(3).build());
        WorkerPool pool = new WorkerPool(jdbi, Map.of("nul", JobHandler.of("nul", ctx -> Map.of("text", "a\u0000b"))),
                settings());

        assertThat(pool.runOnce()).isEqualTo(1);

        assertThat(job(id)).containsEntry("status", "queued").containsEntry("attempts", 1).containsEntry("locked_by", null);
        assertThat((String) job(id).get("last_error"))
                .startsWith("the result could not be stored: PSQLException: ERROR: unsupported Unicode escape sequence");
    }
}
