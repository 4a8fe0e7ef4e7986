package dev.lamplighter.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.JobHandler;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.worker.internal.queue.WorkerPool;
import dev.lamplighter.worker.internal.queue.WorkerSettings;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Clock;
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
 * The worker wakes when the next queued job of its types becomes due, not at its next poll: "retrying
 * in 500ms" means about half a second. The wait comes from the database (run_at − now, with the
 * bound clock), so the test clock here ticks, shifted to the test date.
 */
@Tag(TestClock.TAG)
class WorkerWakeTest {

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), TestClock.start()));
    private final LamplighterClient client = LamplighterClient.create(db.database().dataSource(), clock);

    @BeforeEach
    void reset() {
        db.reset();
    }

    @Test
    void a_retry_with_a_short_backoff_runs_when_it_is_due_not_at_the_next_poll() throws Exception {
        Duration poll = Duration.ofMinutes(1);
        WorkerSettings settings = new WorkerSettings("w1", 1, poll, Duration.ofMinutes(5), Duration.ofMillis(500),
                Duration.ofHours(1), Duration.ofMillis(200), clock);
        CountDownLatch secondAttempt = new CountDownLatch(1);
        long id = client.enqueue(JobRequest.builder("flaky").build());
        WorkerPool pool = new WorkerPool(jdbi, Map.of("flaky", JobHandler.of("flaky", ctx -> {
            if (ctx.attempt() == 1) {
                throw new IllegalStateException("not yet");
            }
            secondAttempt.countDown();
            return Map.of();
        })), settings);
        try {
            pool.start();
            pool.wake();
            assertThat(secondAttempt.await(20, TimeUnit.SECONDS))
                    .as("the retry (due in ~500ms) ran well before the 1-minute poll").isTrue();
        } finally {
            pool.stop();
        }
        String status = jdbi.withHandle(h -> h.createQuery("SELECT status FROM lamplighter.jobs WHERE job_id = :id")
                .bind("id", id).mapTo(String.class).one());
        assertThat(status).isEqualTo("completed");
    }
}
