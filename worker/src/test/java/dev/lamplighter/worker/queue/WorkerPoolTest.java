package dev.lamplighter.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.JobHandler;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.worker.internal.queue.Backoff;
import dev.lamplighter.worker.internal.queue.JobRescuer;
import dev.lamplighter.worker.internal.queue.WorkerPool;
import dev.lamplighter.worker.internal.queue.WorkerSettings;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(TestClock.TAG)
class WorkerPoolTest {

    private static final Instant START = TestClock.start();
    private static final Duration BASE = Duration.ofSeconds(10);

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = new MutableClock(START);
    private final LamplighterClient client = LamplighterClient.create(db.database().dataSource(), clock);

    @BeforeEach
    void reset() {
        db.reset();
    }

    private WorkerSettings settings(String node, int threads) {
        return new WorkerSettings(node, threads, Duration.ofSeconds(1), Duration.ofMinutes(5), BASE, Duration.ofHours(1), Duration.ofMillis(200), clock);
    }

    private Map<String, Object> job(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT *, CAST(result AS text) AS result_text FROM lamplighter.jobs WHERE job_id = :id")
                .bind("id", id).mapToMap().one());
    }

    @Test
    void a_successful_job_stores_its_result() {
        long id = client.enqueue(JobRequest.builder("echo").put("n", 7).build());
        WorkerPool pool = new WorkerPool(jdbi, Map.of("echo", JobHandler.of("echo", ctx -> Map.of("twice", 2 * (Integer) ctx.payload().get("n")))),
                settings("w1", 2));
        assertThat(pool.runOnce()).isEqualTo(1);
        assertThat(job(id)).containsEntry("status", "completed").containsEntry("result_text", "{\"twice\": 14}")
                .containsEntry("attempts", 1).containsEntry("locked_by", null);
        assertThat(pool.runOnce()).isZero();
    }

    @Test
    void a_failing_job_is_retried_with_backoff_and_ends_failed_after_max_attempts() {
        long id = client.enqueue(JobRequest.builder("flaky").maxAttempts(3).build());
        AtomicInteger runs = new AtomicInteger();
        WorkerPool pool = new WorkerPool(jdbi, Map.of("flaky", JobHandler.of("flaky", ctx -> {
            runs.incrementAndGet();
            throw new IllegalStateException("upstream said no (attempt " + ctx.attempt() + ")");
        })), settings("w1", 1));

        for (int attempt = 1; attempt <= 2; attempt++) {
            assertThat(pool.runOnce()).isEqualTo(1);
            Map<String, Object> row = job(id);
            assertThat(row).containsEntry("status", "queued").containsEntry("attempts", attempt)
                    .containsEntry("last_error", "IllegalStateException: upstream said no (attempt " + attempt + ")");
            Duration wait = Duration.between(clock.instant(), ((Timestamp) row.get("run_at")).toInstant());
            Duration expected = BASE.multipliedBy(1L << (attempt - 1));
            assertThat(wait).isBetween(expected, expected.plus(expected.dividedBy(10)));
            assertThat(pool.runOnce()).as("not before its run_at").isZero();
            clock.set(((Timestamp) row.get("run_at")).toInstant());
        }
        assertThat(pool.runOnce()).isEqualTo(1);
        Map<String, Object> failed = job(id);
        assertThat(failed).containsEntry("status", "failed").containsEntry("attempts", 3)
                .containsEntry("last_error", "IllegalStateException: upstream said no (attempt 3)");
        assertThat(failed.get("completed_at")).isNotNull();
        clock.advance(Duration.ofDays(1));
        assertThat(pool.runOnce()).isZero();
        assertThat(runs.get()).isEqualTo(3);
    }

    @Test
    void backoff_doubles_up_to_the_cap_with_at_most_ten_percent_jitter() {
        Random random = new Random(42);
        for (int attempt = 1; attempt <= 12; attempt++) {
            Duration d = Backoff.delay(BASE, Duration.ofMinutes(10), attempt, random);
            Duration plain = BASE.multipliedBy(1L << (attempt - 1));
            Duration capped = plain.compareTo(Duration.ofMinutes(10)) > 0 ? Duration.ofMinutes(10) : plain;
            assertThat(d).isBetween(capped, capped.plus(capped.dividedBy(10)));
        }
    }

    @Test
    void four_pools_draining_2000_jobs_run_each_exactly_once() throws Exception {
        jdbi.useHandle(h -> h.execute("""
                INSERT INTO lamplighter.jobs (job_type, payload, run_at)
                SELECT 'count', jsonb_build_object('i', i), CAST('%s' AS timestamptz)
                FROM generate_series(1, 2000) AS i""".formatted(START)));
        Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
        JobHandler counting = JobHandler.of("count", ctx -> {
            runs.computeIfAbsent(ctx.jobId(), k -> new AtomicInteger()).incrementAndGet();
            return Map.of();
        });
        List<WorkerPool> pools = List.of(
                new WorkerPool(jdbi, Map.of("count", counting), settings("w1", 4)),
                new WorkerPool(jdbi, Map.of("count", counting), settings("w2", 4)),
                new WorkerPool(jdbi, Map.of("count", counting), settings("w3", 4)),
                new WorkerPool(jdbi, Map.of("count", counting), settings("w4", 4)));
        CountDownLatch done = new CountDownLatch(pools.size());
        List<Thread> threads = pools.stream().map(p -> new Thread(() -> {
            while (p.runOnce() > 0) {
                // keep draining
            }
            done.countDown();
        })).toList();
        threads.forEach(Thread::start);
        assertThat(done.await(120, TimeUnit.SECONDS)).isTrue();

        assertThat(runs).hasSize(2000);
        assertThat(runs.values()).allMatch(n -> n.get() == 1);
        int completed = jdbi.withHandle(h -> h.createQuery(
                "SELECT count(*) FROM lamplighter.jobs WHERE status = 'completed' AND attempts = 1").mapTo(Integer.class).one());
        assertThat(completed).isEqualTo(2000);
        int nodes = jdbi.withHandle(h -> h.createQuery(
                "SELECT count(DISTINCT locked_by) FROM lamplighter.jobs").mapTo(Integer.class).one());
        assertThat(nodes).as("locks are cleared on completion").isZero();
    }

    @Test
    void the_rescuer_takes_back_a_job_whose_lease_expired() {
        long id = client.enqueue(JobRequest.builder("slow").maxAttempts(2).build());
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.nodes (node_id, hostname, pid, version, last_seen_at)
                VALUES ('dead-node', 'host', 1, 'test', CAST(:at AS timestamptz))""").bind("at", START).execute());
        jdbi.useHandle(h -> h.createUpdate("""
                UPDATE lamplighter.jobs SET status = 'running', attempts = 1, locked_by = 'dead-node',
                       locked_until = CAST(:until AS timestamptz) WHERE job_id = :id""")
                .bind("until", START.plusSeconds(60)).bind("id", id).execute());
        JobRescuer rescuer = new JobRescuer(jdbi, settings("w1", 1));

        assertThat(rescuer.runOnce()).as("lease still valid").isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(rescuer.runOnce()).isEqualTo(1);
        assertThat(job(id)).containsEntry("status", "queued").containsEntry("locked_by", null);
        assertThat((String) job(id).get("last_error")).startsWith("lease of node dead-node expired at");

        jdbi.useHandle(h -> h.createUpdate("""
                UPDATE lamplighter.jobs SET status = 'running', attempts = 2, locked_by = 'dead-node',
                       locked_until = CAST(:until AS timestamptz) WHERE job_id = :id""")
                .bind("until", START).bind("id", id).execute());
        assertThat(rescuer.runOnce()).isEqualTo(1);
        assertThat(job(id)).as("no attempts left").containsEntry("status", "failed");
    }

    @Test
    void stop_gives_back_a_job_whose_handler_has_not_finished() throws Exception {
        long id = client.enqueue(JobRequest.builder("stuck").build());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        WorkerPool pool = new WorkerPool(jdbi, Map.of("stuck", JobHandler.of("stuck", ctx -> {
            started.countDown();
            never.await();
            return Map.of();
        })), settings("w1", 1));
        pool.start();
        pool.wake();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(job(id)).containsEntry("status", "running").containsEntry("locked_by", "w1");

        Thread stopper = new Thread(pool::stop);
        stopper.start();
        stopper.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(job(id)).containsEntry("status", "queued").containsEntry("attempts", 0).containsEntry("locked_by", null);
        pool.stop();
    }

    @Test
    void claim_skips_rows_locked_by_another_transaction_and_honours_types_run_at_and_priority() {
        long low = client.enqueue(JobRequest.builder("t").priority(0).build());
        long high = client.enqueue(JobRequest.builder("t").priority(5).build());
        long future = client.enqueue(JobRequest.builder("t").priority(9).runAt(START.plusSeconds(60)).build());
        long otherType = client.enqueue(JobRequest.builder("unknown").priority(9).build());
        long locked = client.enqueue(JobRequest.builder("t").priority(7).build());
        List<Long> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        WorkerPool pool = new WorkerPool(jdbi, Map.of("t", JobHandler.of("t", ctx -> {
            order.add(ctx.jobId());
            return Map.of();
        })), settings("w1", 1));

        try (Handle other = jdbi.open()) {
            other.begin();
            other.createQuery("SELECT job_id FROM lamplighter.jobs WHERE job_id = :id FOR UPDATE")
                    .bind("id", locked).mapTo(Long.class).one();
            while (pool.runOnce() > 0) {
                // drain what is claimable
            }
            other.rollback();
        }
        assertThat(order).containsExactly(high, low);
        assertThat(job(future)).containsEntry("status", "queued");
        assertThat(job(otherType)).containsEntry("status", "queued");
        assertThat(job(locked)).containsEntry("status", "queued");
        assertThat(pool.runOnce()).as("the row is free again").isEqualTo(1);
        clock.advance(Duration.ofMinutes(1));
        assertThat(pool.runOnce()).as("its run_at has come").isEqualTo(1);
        assertThat(order).containsExactly(high, low, locked, future);
    }

    @Test
    void an_enqueue_with_a_taken_dedup_key_returns_the_existing_job() {
        long first = client.enqueue(JobRequest.builder("t").dedupKey("invoice-42").build());
        long again = client.enqueue(JobRequest.builder("t").dedupKey("invoice-42").build());
        assertThat(again).isEqualTo(first);
        int count = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM lamplighter.jobs").mapTo(Integer.class).one());
        assertThat(count).isEqualTo(1);
    }
}
