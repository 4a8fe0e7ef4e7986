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
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A node keeps as many jobs prefetched as its threads can start within a short lookahead, from the
 * measured run time of its jobs, at most the configured cap: a node of slow jobs takes hardly more
 * than its threads, a node of fast jobs claims in large batches. The run time is measured on a
 * duration source the test moves, so no figure here depends on how fast the machine is.
 */
@Tag(TestClock.TAG)
class PrefetchSizingTest {

    private static final Instant START = TestClock.start();
    private static final long HARD_TIMEOUT_S = 60;
    private static final int THREADS = 2;
    private static final int CAP = 100;

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = new MutableClock(START);

    @BeforeEach
    void reset() {
        db.reset();
    }

    private void enqueue(int jobs) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO lamplighter.jobs (job_type, status, payload, job_source, run_at)
                        SELECT 'work', 'queued', '{}', 'api', :now FROM generate_series(1, :n)""")
                .bind("now", START).bind("n", jobs).execute());
    }

    /**
     * Runs {@code jobs} jobs, each of which "takes" {@code runTime} on the pool's duration source,
     * and returns the most jobs this node held at once (running or prefetched), as each handler saw
     * when it started.
     */
    private int mostHeldAtOnce(int jobs, Duration runTime) throws Exception {
        enqueue(jobs);
        AtomicLong nanos = new AtomicLong();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch allRan = new CountDownLatch(jobs);
        AtomicInteger returned = new AtomicInteger();
        JobHandler work = JobHandler.of("work", ctx -> {
            // Held: claimed so far minus the handlers that have returned (a returned job's row may
            // still read 'running' until its batched completion is written, so the row's status
            // alone would count it). Both read under one lock, so that no handler returns between.
            synchronized (returned) {
                int claimed = jdbi.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM lamplighter.jobs WHERE attempts >= 1").mapTo(Integer.class).one());
                most.accumulateAndGet(claimed - returned.get(), Math::max);
            }
            nanos.addAndGet(runTime.toNanos());
            synchronized (returned) {
                returned.incrementAndGet();
            }
            allRan.countDown();
            return Map.of();
        });
        WorkerPool pool = new WorkerPool(jdbi, Map.of("work", work),
                new WorkerSettings("w1", THREADS, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(10),
                        Duration.ofHours(1), Duration.ofSeconds(5), clock).withPrefetch(CAP),
                nanos::get);
        try {
            pool.start();
            pool.wake();
            assertThat(allRan.await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).as("every job ran").isTrue();
        } finally {
            pool.stop();
        }
        return most.get();
    }

    @Test
    void a_node_of_slow_jobs_holds_no_more_than_its_threads_and_the_first_prefetch() throws Exception {
        // Each job takes a second: no thread can start another within the lookahead, so after the
        // first claim (threads + threads, before any run time is known) it claims for free threads only.
        int most = mostHeldAtOnce(40, Duration.ofSeconds(1));
        assertThat(most).as("jobs held at once by a node of 2 threads with a cap of 100").isLessThanOrEqualTo(2 * THREADS);
    }

    @Test
    void a_node_of_fast_jobs_claims_in_large_batches_up_to_its_cap() throws Exception {
        // Each job takes 10 microseconds: the lookahead holds far more than the cap.
        int most = mostHeldAtOnce(400, Duration.ofNanos(10_000));
        assertThat(most).as("jobs held at once by a node of 2 threads with a cap of 100").isGreaterThan(CAP / 2)
                .isLessThanOrEqualTo(THREADS + CAP);
    }
}
