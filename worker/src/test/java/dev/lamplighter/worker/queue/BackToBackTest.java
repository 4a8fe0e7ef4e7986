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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A worker thread that finishes a job takes the next prefetched one itself: with one slot and a
 * buffer of work, jobs run back to back on the same thread instead of being handed from thread to
 * thread (a park and a wake-up per job).
 */
@Tag(TestClock.TAG)
class BackToBackTest {

    private static final Instant START = TestClock.start();
    private static final int JOBS = 200;

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = new MutableClock(START);

    @BeforeEach
    void reset() {
        db.reset();
    }

    @Test
    void a_thread_runs_the_prefetched_jobs_back_to_back() throws Exception {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO lamplighter.jobs (job_type, status, payload, job_source, run_at)
                        SELECT 'work', 'queued', '{}', 'api', :now FROM generate_series(1, :n)""")
                .bind("now", START).bind("n", JOBS).execute());
        List<Thread> ranOn = new ArrayList<>();
        CountDownLatch allRan = new CountDownLatch(JOBS);
        JobHandler work = JobHandler.of("work", ctx -> {
            synchronized (ranOn) {
                ranOn.add(Thread.currentThread());
            }
            allRan.countDown();
            return Map.of();
        });
        WorkerPool pool = new WorkerPool(jdbi, Map.of("work", work),
                new WorkerSettings("w1", 1, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(10),
                        Duration.ofHours(1), Duration.ofSeconds(5), clock).withPrefetch(100));
        try {
            pool.start();
            pool.wake();
            assertThat(allRan.await(60, TimeUnit.SECONDS)).as("every job ran").isTrue();
        } finally {
            pool.stop();
        }
        int sameThread = 0;
        for (int i = 1; i < ranOn.size(); i++) {
            if (ranOn.get(i) == ranOn.get(i - 1)) {
                sameThread++;
            }
        }
        // Handed from thread to thread, one slot alternates between two threads (the next job is
        // handed over while the finishing thread still holds its task): no pair on the same thread.
        // Back to back, only a job that finds the buffer empty (waiting for the next claim) moves.
        assertThat(sameThread).as("consecutive jobs on the same thread, of %d", JOBS - 1).isGreaterThan(JOBS / 2);
    }
}
