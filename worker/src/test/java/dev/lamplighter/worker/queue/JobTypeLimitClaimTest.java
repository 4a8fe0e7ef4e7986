package dev.lamplighter.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.JobHandler;
import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.internal.queue.WorkerPool;
import dev.lamplighter.worker.internal.queue.WorkerSettings;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The claim of a limited job type: an operator's change of the limit is seen at the next claim,
 * a type's lock holds up only claims of that type, and the table refuses bad limits.
 */
@Tag(TestClock.TAG)
class JobTypeLimitClaimTest {

    private static final Instant START = TestClock.start();

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = new MutableClock(START);
    /** Handlers block until the test lets them go, so that claimed jobs stay running. */
    private final Semaphore finish = new Semaphore(0);
    private final Semaphore started = new Semaphore(0);
    private final List<CompletableFuture<Integer>> runs = new ArrayList<>();

    @BeforeEach
    void reset() {
        db.reset();
    }

    @AfterEach
    void letEverythingFinish() throws Exception {
        finish.release(10_000);
        for (CompletableFuture<Integer> run : runs) {
            run.get(60, TimeUnit.SECONDS);
        }
    }

    private WorkerPool pool(String node, int threads, String... types) {
        Map<String, JobHandler> handlers = new java.util.HashMap<>();
        for (String type : types) {
            handlers.put(type, JobHandler.of(type, ctx -> {
                started.release();
                finish.acquire();
                return Map.of();
            }));
        }
        return new WorkerPool(jdbi, handlers, new WorkerSettings(node, threads, Duration.ofSeconds(1), Duration.ofMinutes(5),
                Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofSeconds(5), clock));
    }

    /** One runOnce in the background; returns once its {@code expected} handlers have started. */
    private void claimAndHold(WorkerPool pool, int expected) throws InterruptedException {
        runs.add(CompletableFuture.supplyAsync(pool::runOnce));
        assertThat(started.tryAcquire(expected, 30, TimeUnit.SECONDS)).as("%s handlers started", expected).isTrue();
    }

    private void enqueue(String type, int n) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.jobs (job_type, run_at)
                SELECT :type, CAST(:at AS timestamptz) FROM generate_series(1, :n)""")
                .bind("type", type).bind("at", START).bind("n", n).execute());
    }

    private Map<String, Object> counts(String type) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT count(*) FILTER (WHERE status = 'running') AS running,
                       count(*) FILTER (WHERE status = 'queued') AS queued
                FROM lamplighter.jobs WHERE job_type = :t""").bind("t", type).mapToMap().one());
    }

    private long waitingForAdvisoryLock() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
                .mapTo(Long.class).one());
    }

    private void sql(String statement) {
        jdbi.useHandle(h -> h.execute(statement));
    }

    @Test
    void an_operators_update_of_the_limit_takes_effect_at_the_next_claim() throws Exception {
        sql("INSERT INTO lamplighter.job_types (job_type, max_running) VALUES ('report', 2)");
        enqueue("report", 20);

        claimAndHold(pool("a", 4, "report"), 2);
        assertThat(counts("report")).containsEntry("running", 2L).containsEntry("queued", 18L);

        sql("UPDATE lamplighter.job_types SET max_running = 3 WHERE job_type = 'report'");
        claimAndHold(pool("b", 4, "report"), 1);
        assertThat(counts("report")).as("one more: the new limit minus the two running").containsEntry("running", 3L);

        WorkerPool c = pool("c", 4, "report");
        runs.add(CompletableFuture.supplyAsync(c::runOnce));
        assertThat(runs.get(2).get(30, TimeUnit.SECONDS)).as("the type is full: nothing claimed").isZero();

        sql("UPDATE lamplighter.job_types SET exclusive = true WHERE job_type = 'report'");
        finish.release(3);   // the three running jobs end
        runs.get(0).get(30, TimeUnit.SECONDS);
        runs.get(1).get(30, TimeUnit.SECONDS);
        started.drainPermits();
        claimAndHold(c, 1);
        assertThat(counts("report")).as("exclusive: one at a time").containsEntry("running", 1L);

        sql("UPDATE lamplighter.job_types SET max_running = NULL, exclusive = false WHERE job_type = 'report'");
        claimAndHold(pool("d", 4, "report"), 4);
        assertThat(counts("report")).as("no limit: a pool claims for all its threads").containsEntry("running", 5L);
    }

    @Test
    void a_pool_that_learned_a_type_is_limited_follows_the_limit_when_an_operator_removes_the_row() throws Exception {
        sql("INSERT INTO lamplighter.job_types (job_type, max_running) VALUES ('report', 1)");
        enqueue("report", 10);
        WorkerPool a = pool("a", 4, "report");
        claimAndHold(a, 1);
        finish.release(1);
        assertThat(runs.get(0).get(30, TimeUnit.SECONDS)).isEqualTo(1);

        sql("DELETE FROM lamplighter.job_types WHERE job_type = 'report'");
        claimAndHold(a, 4);
        assertThat(counts("report")).containsEntry("running", 4L);
    }

    @Test
    void a_limited_type_is_claimed_for_free_threads_only_never_into_the_prefetch_buffer() throws Exception {
        sql("INSERT INTO lamplighter.job_types (job_type, max_running) VALUES ('report', 50)");
        enqueue("report", 20);
        enqueue("plain", 2);
        // Two threads and a prefetch buffer of four: one claim asks for six jobs. The two plain
        // jobs come first; the limited type may take only the two threads, not the buffer.
        WorkerPool a = pool("a", 2, "report", "plain");
        a.start();
        try {
            a.wake();
            assertThat(started.tryAcquire(2, 30, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (running("plain") + running("report") < 4 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(running("plain")).isEqualTo(2);
            assertThat(running("report")).as("limited jobs claimed: the free threads, not the buffer").isEqualTo(2);
        } finally {
            finish.release(10_000);
            a.stop();
        }
    }

    private long running(String type) {
        return (long) counts(type).get("running");
    }

    @Test
    void a_claim_holding_one_limited_types_lock_holds_up_neither_other_limited_types_nor_unlimited_ones() throws Exception {
        sql("INSERT INTO lamplighter.job_types (job_type, max_running) VALUES ('slow', 1), ('fast', 1)");
        enqueue("slow", 3);
        enqueue("fast", 3);
        enqueue("plain", 3);
        try (Handle other = jdbi.open()) {
            other.begin();
            other.createQuery(SqlFiles.load("jobs/claim_limited_lock")).bind("jobType", "slow").mapToMap().one();

            WorkerPool fast = pool("fast-node", 2, "fast");
            claimAndHold(fast, 1);
            claimAndHold(pool("plain-node", 2, "plain"), 2);
            assertThat(counts("fast")).containsEntry("running", 1L);
            assertThat(counts("plain")).containsEntry("running", 2L);

            CompletableFuture<Integer> slow = CompletableFuture.supplyAsync(pool("slow-node", 2, "slow")::runOnce);
            runs.add(slow);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (waitingForAdvisoryLock() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(waitingForAdvisoryLock()).as("a claim of the same type waits for the lock").isEqualTo(1);
            assertThat(counts("slow")).containsEntry("running", 0L);
            other.rollback();
            assertThat(started.tryAcquire(1, 30, TimeUnit.SECONDS)).as("the slow claim went on once the lock was free").isTrue();
        }
    }

    @Test
    void the_table_refuses_a_limit_below_1_and_a_blank_job_type_naming_the_constraint() {
        assertThatThrownBy(() -> sql("INSERT INTO lamplighter.job_types (job_type, max_running) VALUES ('x', 0)"))
                .isInstanceOf(UnableToExecuteStatementException.class).hasMessageContaining("job_types_max_running_positive");
        assertThatThrownBy(() -> sql("INSERT INTO lamplighter.job_types (job_type, max_running) VALUES (' ', 3)"))
                .isInstanceOf(UnableToExecuteStatementException.class).hasMessageContaining("job_types_job_type_not_blank");
        sql("INSERT INTO lamplighter.job_types (job_type, max_running) VALUES ('x', 2)");
        assertThatThrownBy(() -> sql("UPDATE lamplighter.job_types SET max_running = -1 WHERE job_type = 'x'"))
                .isInstanceOf(UnableToExecuteStatementException.class).hasMessageContaining("job_types_max_running_positive");
        int max = jdbi.withHandle(h -> h.createQuery("SELECT max_running FROM lamplighter.job_types WHERE job_type = 'x'")
                .mapTo(Integer.class).one());
        assertThat(max).as("the stored limit is kept").isEqualTo(2);
    }
}
