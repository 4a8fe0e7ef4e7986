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
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A job type's limit holds across the cluster under contention: four worker pools, each with its
 * own node id and several threads, all claiming the same limited type at once.
 */
@Tag(TestClock.TAG)
class JobTypeLimitContentionTest {

    private static final Instant START = TestClock.start();

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = new MutableClock(START);
    private final List<WorkerPool> pools = new ArrayList<>();

    @BeforeEach
    void reset() {
        db.reset();
    }

    @AfterEach
    void stopPools() {
        pools.forEach(WorkerPool::stop);
    }

    private void enqueue(String type, int n) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.jobs (job_type, payload, run_at)
                SELECT :type, jsonb_build_object('i', i), CAST(:at AS timestamptz) FROM generate_series(1, :n) AS i""")
                .bind("type", type).bind("at", START).bind("n", n).execute());
    }

    private int runningInTable(String type) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM lamplighter.jobs WHERE status = 'running' AND job_type = :t")
                .bind("t", type).mapTo(Integer.class).one());
    }

    private void startPools(Map<String, JobHandler> handlers) {
        for (int i = 1; i <= 4; i++) {
            WorkerSettings settings = new WorkerSettings("w" + i, 4, Duration.ofMillis(100), Duration.ofMinutes(5),
                    Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofSeconds(5), clock);
            WorkerPool pool = new WorkerPool(jdbi, handlers, settings);
            pools.add(pool);
            pool.start();
            pool.wake();
        }
    }

    /** Counts the handlers of one type running at once, and the most seen, here and in the table. */
    private final class Gauge {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final AtomicInteger mostInTable = new AtomicInteger();

        int enter(String type) {
            int n = now.incrementAndGet();
            most.accumulateAndGet(n, Math::max);
            mostInTable.accumulateAndGet(runningInTable(type), Math::max);
            return n;
        }

        void leave() {
            now.decrementAndGet();
        }
    }

    @Test
    void with_max_running_3_four_pools_of_four_threads_never_run_more_than_3_jobs_of_the_type_at_once() throws Exception {
        jdbi.useHandle(h -> h.execute("INSERT INTO lamplighter.job_types (job_type, max_running) VALUES ('limited', 3)"));
        enqueue("limited", 200);
        Gauge gauge = new Gauge();
        CountDownLatch fullHouse = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(200);
        JobHandler handler = JobHandler.of("limited", ctx -> {
            try {
                if (gauge.enter("limited") == 3) {
                    fullHouse.countDown();
                }
                // The first jobs wait until three run at once, so that the pools contend for the
                // type while it is full.
                fullHouse.await(30, TimeUnit.SECONDS);
                return Map.of();
            } finally {
                gauge.leave();
                done.countDown();
            }
        });
        startPools(Map.of("limited", handler));

        assertThat(done.await(120, TimeUnit.SECONDS)).as("all 200 jobs ran within 120 s").isTrue();
        assertThat(fullHouse.getCount()).as("three ran at once at some point").isZero();
        assertThat(gauge.most.get()).as("most handlers running at once").isEqualTo(3);
        assertThat(gauge.mostInTable.get()).as("most running rows seen by a handler").isLessThanOrEqualTo(3);
        pools.forEach(WorkerPool::stop);
        int completed = jdbi.withHandle(h -> h.createQuery(
                "SELECT count(*) FROM lamplighter.jobs WHERE status = 'completed' AND attempts = 1").mapTo(Integer.class).one());
        assertThat(completed).isEqualTo(200);
    }

    @Test
    void an_exclusive_type_runs_one_job_anywhere_while_jobs_of_other_types_keep_running() throws Exception {
        jdbi.useHandle(h -> h.execute("INSERT INTO lamplighter.job_types (job_type, exclusive) VALUES ('payout', true)"));
        enqueue("payout", 40);
        enqueue("other", 100);
        Gauge payouts = new Gauge();
        Gauge others = new Gauge();
        CountDownLatch othersDone = new CountDownLatch(100);
        CountDownLatch payoutsDone = new CountDownLatch(40);
        AtomicInteger othersDoneWhileFirstPayoutHeld = new AtomicInteger(-1);
        JobHandler payout = JobHandler.of("payout", ctx -> {
            try {
                payouts.enter("payout");
                if (payoutsDone.getCount() == 40) {
                    // The first payout holds the type until every other job has run: the others
                    // are not serialized behind it.
                    boolean all = othersDone.await(60, TimeUnit.SECONDS);
                    othersDoneWhileFirstPayoutHeld.set(all ? 100 : (int) (100 - othersDone.getCount()));
                }
                return Map.of();
            } finally {
                payouts.leave();
                payoutsDone.countDown();
            }
        });
        JobHandler other = JobHandler.of("other", ctx -> {
            try {
                others.enter("other");
                return Map.of();
            } finally {
                others.leave();
                othersDone.countDown();
            }
        });
        startPools(Map.of("payout", payout, "other", other));

        assertThat(payoutsDone.await(120, TimeUnit.SECONDS)).as("all 40 payouts ran within 120 s").isTrue();
        assertThat(othersDoneWhileFirstPayoutHeld.get()).as("other jobs that ran while the first payout held the type")
                .isEqualTo(100);
        assertThat(payouts.most.get()).as("most payouts running at once").isEqualTo(1);
        assertThat(payouts.mostInTable.get()).as("most running payout rows seen by a payout").isEqualTo(1);
        assertThat(others.most.get()).as("other jobs ran side by side").isGreaterThan(1);
    }
}
