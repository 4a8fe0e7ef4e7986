package dev.lamplighter.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.JobHandler;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.worker.internal.queue.JobStore;
import dev.lamplighter.worker.internal.queue.WorkerPool;
import dev.lamplighter.worker.internal.queue.WorkerSettings;
import dev.lamplighter.worker.testing.LogCapture;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Batched claims with prefetch and batched completions keep the queue's guarantees: every job runs
 * once, a stale owner's late completion is rejected, prefetched jobs hold leases and go back to
 * the queue at shutdown, waiting completions are written at shutdown.
 */
@Tag(TestClock.TAG)
class BatchingTest {

    private static final Instant START = TestClock.start();
    private static final long HARD_TIMEOUT_S = 60;
    private static final Duration LEASE = Duration.ofMinutes(5);

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = new MutableClock(START);
    private final LamplighterClient client = LamplighterClient.create(db.database().dataSource(), clock);

    @BeforeEach
    void reset() {
        db.reset();
    }

    private WorkerSettings settings(String node, int threads) {
        return new WorkerSettings(node, threads, Duration.ofSeconds(1), LEASE, Duration.ofSeconds(10),
                Duration.ofHours(1), Duration.ofSeconds(5), clock);
    }

    private Map<String, Object> job(long id) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT *, CAST(result AS text) AS result_text FROM lamplighter.jobs WHERE job_id = :id")
                .bind("id", id).mapToMap().one());
    }

    private Map<String, Long> statusCounts() {
        Map<String, Long> counts = new ConcurrentHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT status, count(*) AS n FROM lamplighter.jobs GROUP BY status")
                .map((rs, ctx) -> counts.put(rs.getString("status"), rs.getLong("n"))).list());
        return counts;
    }

    @Test
    void four_worker_pools_over_ten_thousand_jobs_run_each_exactly_once_with_batching_on() throws Exception {
        int jobs = 10_000;
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO lamplighter.jobs (job_type, status, payload, job_source, run_at)
                        SELECT 'count', 'queued', jsonb_build_object('i', i), 'api', :now
                        FROM generate_series(1, :n) AS i""")
                .bind("now", START).bind("n", jobs).execute());
        Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
        CountDownLatch allRan = new CountDownLatch(jobs);
        JobHandler count = JobHandler.of("count", ctx -> {
            runs.computeIfAbsent(ctx.jobId(), id -> new AtomicInteger()).incrementAndGet();
            allRan.countDown();
            return Map.of("node", Thread.currentThread().getName());
        });
        List<WorkerPool> pools = new ArrayList<>();
        for (int n = 1; n <= 4; n++) {
            pools.add(new WorkerPool(jdbi, Map.of("count", count), settings("node-" + n, 2)));
        }
        try {
            pools.forEach(WorkerPool::start);
            pools.forEach(WorkerPool::wake);
            assertThat(allRan.await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).as("every job ran").isTrue();
        } finally {
            pools.forEach(WorkerPool::stop);
        }
        assertThat(runs).hasSize(jobs);
        assertThat(runs.values()).as("no job ran twice").allMatch(r -> r.get() == 1);
        assertThat(statusCounts()).as("every completion was written at or before stop").isEqualTo(Map.of("completed", (long) jobs));
        assertThat(pools.stream().mapToInt(WorkerPool::completedCount).sum()).isEqualTo(jobs);
        long attempts = jdbi.withHandle(h -> h.createQuery("SELECT sum(attempts) FROM lamplighter.jobs")
                .mapTo(Long.class).one());
        assertThat(attempts).as("one attempt each").isEqualTo(jobs);
    }

    @Test
    void a_rescued_job_rejects_the_late_batched_completion_of_its_dead_owner() throws Exception {
        long id = client.enqueue(JobRequest.builder("slow").maxAttempts(3).build());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        WorkerPool stale = new WorkerPool(jdbi, Map.of("slow", JobHandler.of("slow", ctx -> {
            started.countDown();
            assertThat(proceed.await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
            return Map.of("by", "stale");
        })), settings("stale", 1));
        Thread staleRun = new Thread(stale::runOnce, "test-stale-owner");
        staleRun.start();
        assertThat(started.await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).isTrue();

        clock.advance(LEASE.plusMinutes(1));
        assertThat(new JobStore(jdbi, "rescuer", clock).rescueExpired(10)).hasSize(1);
        WorkerPool fresh = new WorkerPool(jdbi, Map.of("slow", JobHandler.of("slow", ctx -> Map.of("by", "fresh"))),
                settings("fresh", 1));
        assertThat(fresh.runOnce()).isEqualTo(1);
        fresh.stop();

        try (LogCapture logs = new LogCapture()) {
            proceed.countDown();
            staleRun.join(TimeUnit.SECONDS.toMillis(HARD_TIMEOUT_S));
            assertThat(staleRun.isAlive()).isFalse();
            assertThat(logs.warnings()).anyMatch(w -> w.contains("Job " + id) && w.contains("result is dropped"));
        }
        stale.stop();
        assertThat(job(id)).as("the new owner's result stands").containsEntry("status", "completed")
                .containsEntry("attempts", 2).containsEntry("result_text", "{\"by\": \"fresh\"}");
        assertThat(stale.completedCount()).isZero();
        assertThat(fresh.completedCount()).isEqualTo(1);
    }

    @Test
    void a_completion_batch_that_loses_its_connection_is_retried_and_completes_each_job_once() throws Exception {
        jdbi.useHandle(h -> h.execute("INSERT INTO lamplighter.counters (name, value, consumed) VALUES ('changes', 9, 0)"));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(client.enqueue(JobRequest.builder("work").maxAttempts(1).build()));
        }
        jdbi.useHandle(h -> h.createUpdate("UPDATE lamplighter.jobs SET consumes = jsonb_build_object('changes', 7) "
                + "WHERE job_id = :id").bind("id", ids.get(1)).execute());
        CountDownLatch started = new CountDownLatch(3);
        CountDownLatch proceed = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        WorkerPool pool = new WorkerPool(jdbi, Map.of("work", JobHandler.of("work", ctx -> {
            runs.incrementAndGet();
            started.countDown();
            assertThat(proceed.await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
            return Map.of("ok", true);
        })), settings("w1", 3).withCompletionFlush(Duration.ofMillis(200)));
        Thread worker = new Thread(pool::runOnce, "test-run-once");
        worker.start();
        assertThat(started.await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).isTrue();

        try (Handle holder = jdbi.open()) {
            holder.begin();
            holder.createQuery("SELECT job_id FROM lamplighter.jobs WHERE job_id = :id FOR UPDATE")
                    .bind("id", ids.get(1)).mapTo(Long.class).one();
            proceed.countDown();
            int holderPid = holder.createQuery("SELECT pg_backend_pid()").mapTo(Integer.class).one();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HARD_TIMEOUT_S);
            Optional<Integer> waiting = Optional.empty();
            while (waiting.isEmpty() && System.nanoTime() < deadline) {
                waiting = jdbi.withHandle(h -> h.createQuery("""
                                SELECT pid FROM pg_stat_activity
                                WHERE :holder = ANY (pg_blocking_pids(pid)) AND query LIKE '%array_position%'""")
                        .bind("holder", holderPid).mapTo(Integer.class).findFirst());
            }
            assertThat(waiting).as("the batched completion waits on the row lock").isPresent();
            int pid = waiting.get();
            boolean killed = jdbi.withHandle(h -> h.createQuery("SELECT pg_terminate_backend(:pid)")
                    .bind("pid", pid).mapTo(Boolean.class).one());
            assertThat(killed).isTrue();
            holder.rollback();
        }
        worker.join(TimeUnit.SECONDS.toMillis(HARD_TIMEOUT_S));
        assertThat(worker.isAlive()).isFalse();
        pool.stop();

        for (long id : ids) {
            assertThat(job(id)).as("job %d completed by the retried batch", id).containsEntry("status", "completed")
                    .containsEntry("attempts", 1).containsEntry("result_text", "{\"ok\": true}");
        }
        assertThat(runs.get()).as("each handler ran once").isEqualTo(3);
        assertThat(pool.completedCount()).isEqualTo(3);
        long consumed = jdbi.withHandle(h -> h.createQuery("SELECT consumed FROM lamplighter.counters WHERE name = 'changes'")
                .mapTo(Long.class).one());
        assertThat(consumed).as("the counter moved with its job's completion").isEqualTo(7);
    }

    @Test
    void prefetched_jobs_hold_leases_that_the_heartbeat_extends() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(client.enqueue(JobRequest.builder("gate").priority(10 - i).build()));
        }
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        CountDownLatch allRan = new CountDownLatch(5);
        WorkerPool pool = new WorkerPool(jdbi, Map.of("gate", JobHandler.of("gate", ctx -> {
            started.countDown();
            assertThat(proceed.await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
            allRan.countDown();
            return Map.of();
        })), settings("w1", 2).withPrefetch(2));
        try {
            pool.start();
            pool.wake();
            assertThat(started.await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
            // Before any job has ended, the prefetch is the threads' count (at most the cap).
            assertThat(statusCounts()).as("one claim took the two running jobs and two to prefetch")
                    .isEqualTo(Map.of("running", 4L, "queued", 1L));
            clock.advance(Duration.ofMinutes(4));
            assertThat(pool.renewLeases()).as("the running and the prefetched jobs' leases are extended").isEqualTo(4);
            Instant lockedUntil = ((Timestamp) job(ids.get(3)).get("locked_until")).toInstant();
            assertThat(lockedUntil).isEqualTo(clock.instant().plus(LEASE));
            proceed.countDown();
            assertThat(allRan.await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).as("every job ran").isTrue();
        } finally {
            proceed.countDown();
            pool.stop();
        }
        assertThat(statusCounts()).as("completions written by stop at the latest").isEqualTo(Map.of("completed", 5L));
    }

    @Test
    void stopping_writes_waiting_completions_and_returns_prefetched_jobs_to_the_queue_without_counting_an_attempt()
            throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(client.enqueue(JobRequest.builder("gate").priority(10 - i).build()));
        }
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        // The running job returns once stop() has begun; with the longest flush, its completion
        // still waits for its batch when stop() gets to it.
        WorkerPool pool = new WorkerPool(jdbi, Map.of("gate", JobHandler.of("gate", ctx -> {
            runs.incrementAndGet();
            started.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HARD_TIMEOUT_S);
            while (!ctx.isShuttingDown() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            return Map.of("done", true);
        })), settings("w1", 1).withPrefetch(2).withCompletionFlush(Duration.ofSeconds(1)));
        pool.start();
        pool.wake();
        assertThat(started.await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
        Thread stopping = new Thread(pool::stop, "test-stop");
        stopping.start();
        stopping.join(TimeUnit.SECONDS.toMillis(HARD_TIMEOUT_S));
        assertThat(stopping.isAlive()).isFalse();

        assertThat(job(ids.get(0))).as("the running job finished and its completion was written")
                .containsEntry("status", "completed").containsEntry("result_text", "{\"done\": true}");
        for (long prefetched : ids.subList(1, 3)) {
            assertThat(job(prefetched)).as("prefetched, never started: back in the queue, attempt not counted")
                    .containsEntry("status", "queued").containsEntry("attempts", 0).containsEntry("locked_by", null);
        }
        assertThat(job(ids.get(3))).containsEntry("status", "queued").containsEntry("attempts", 0);
        assertThat(runs.get()).isEqualTo(1);
        assertThat(pool.completedCount()).isEqualTo(1);
    }
}
