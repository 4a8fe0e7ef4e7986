package dev.lamplighter.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.internal.queue.JobRescuer;
import dev.lamplighter.worker.internal.queue.WorkerSettings;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A job of an exclusive type whose lease ran out is not taken back while its node is live: its
 * handler may still run there, and a second job of the type must not start beside it.
 */
@Tag(TestClock.TAG)
class ExclusiveRescueTest {

    private static final Instant START = TestClock.start();

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = new MutableClock(START);
    private final JobRescuer rescuer = new JobRescuer(jdbi, new WorkerSettings("rescuer", 1, Duration.ofSeconds(1),
            Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofSeconds(5), clock));

    @BeforeEach
    void reset() {
        db.reset();
        jdbi.useHandle(h -> h.execute("INSERT INTO lamplighter.job_types (job_type, exclusive) VALUES ('payout', true)"));
    }

    /** A job of {@code type} running on {@code node} whose lease ran out a minute ago. */
    private long runningWithExpiredLease(String type, String node) {
        return jdbi.withHandle(h -> h.createQuery("""
                INSERT INTO lamplighter.jobs (job_type, status, attempts, locked_by, locked_until, started_at, run_at)
                VALUES (:type, 'running', 1, :node, CAST(:until AS timestamptz), CAST(:started AS timestamptz), CAST(:started AS timestamptz))
                RETURNING job_id""")
                .bind("type", type).bind("node", node).bind("until", clock.instant().minus(Duration.ofMinutes(1)))
                .bind("started", clock.instant().minus(Duration.ofMinutes(10))).mapTo(Long.class).one());
    }

    private void nodeSeen(String node, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.nodes (node_id, hostname, pid, version, last_seen_at)
                VALUES (:node, 'host', 1, 'test', CAST(:at AS timestamptz))
                ON CONFLICT (node_id) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at""")
                .bind("node", node).bind("at", at).execute());
    }

    private String status(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT status FROM lamplighter.jobs WHERE job_id = :id").bind("id", id)
                .mapTo(String.class).one());
    }

    @Test
    void an_exclusive_job_whose_lease_ran_out_waits_while_its_node_is_live_and_goes_back_once_the_node_is_silent() {
        nodeSeen("n1", clock.instant());
        long payout = runningWithExpiredLease("payout", "n1");
        long plain = runningWithExpiredLease("plain", "n1");

        assertThat(rescuer.runOnce()).as("only the job of the unlimited type").isEqualTo(1);
        assertThat(status(plain)).isEqualTo("queued");
        assertThat(status(payout)).isEqualTo("running");

        clock.advance(Duration.ofMinutes(2));
        nodeSeen("n1", clock.instant());
        assertThat(rescuer.runOnce()).as("its node still answers").isZero();

        clock.advance(JobRescuer.LIVE_WITHIN);   // the node has not been seen since
        assertThat(rescuer.runOnce()).isEqualTo(1);
        assertThat(status(payout)).isEqualTo("queued");
    }

    @Test
    void an_exclusive_job_goes_back_at_once_when_its_node_is_gone() {
        long payout = runningWithExpiredLease("payout", "left-the-cluster");
        assertThat(rescuer.runOnce()).isEqualTo(1);
        assertThat(status(payout)).isEqualTo("queued");
    }

    @Test
    void an_exclusive_job_of_a_live_node_goes_back_once_its_lease_ran_out_more_than_the_live_window_ago() {
        nodeSeen("n1", clock.instant());
        long payout = runningWithExpiredLease("payout", "n1");
        assertThat(rescuer.runOnce()).isZero();
        clock.advance(JobRescuer.LIVE_WITHIN);
        nodeSeen("n1", clock.instant());
        assertThat(rescuer.runOnce()).as("a live node that lost the job does not hold the type forever").isEqualTo(1);
        assertThat(status(payout)).isEqualTo("queued");
    }
}
