package dev.lamplighter.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.internal.node.NodeHeartbeat;
import dev.lamplighter.worker.internal.queue.JobRescuer;
import dev.lamplighter.worker.internal.queue.WorkerSettings;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A running job is rescued when its node is gone or silent, not only when its lease ran out: a
 * lease set by hand a hundred years ahead does not keep a job on a node that no longer answers.
 */
@Tag(TestClock.TAG)
class RescueByLivenessTest {

    private static final Instant START = TestClock.start();

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = new MutableClock(START);
    private final JobRescuer rescuer = new JobRescuer(jdbi, new WorkerSettings("rescuer", 1, Duration.ofSeconds(1),
            Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofSeconds(5), clock));

    @BeforeEach
    void reset() {
        db.reset();
    }

    /** A job of {@code type} running on {@code node} whose lease an operator set a hundred years ahead. */
    private long runningForACentury(String type, String node) {
        long id = jdbi.withHandle(h -> h.createQuery("""
                INSERT INTO lamplighter.jobs (job_type, status, attempts, locked_by, locked_until, started_at, run_at)
                VALUES (:type, 'running', 1, :node, CAST(:until AS timestamptz), CAST(:started AS timestamptz),
                        CAST(:started AS timestamptz))
                RETURNING job_id""")
                .bind("type", type).bind("node", node).bind("until", clock.instant().plus(Duration.ofMinutes(5)))
                .bind("started", clock.instant().minus(Duration.ofMinutes(1))).mapTo(Long.class).one());
        jdbi.useHandle(h -> h.execute(
                "UPDATE lamplighter.jobs SET locked_until = locked_until + interval '100 years' WHERE job_id = ?", id));
        return id;
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

    private String lastError(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT last_error FROM lamplighter.jobs WHERE job_id = :id").bind("id", id)
                .mapTo(String.class).one());
    }

    @Test
    void a_job_whose_node_row_was_deleted_is_rescued_although_its_lease_runs_a_hundred_years() {
        nodeSeen("n1", clock.instant());
        long id = runningForACentury("plain", "n1");
        assertThat(rescuer.runOnce()).as("its node is live").isZero();

        jdbi.useHandle(h -> h.execute("DELETE FROM lamplighter.nodes WHERE node_id = 'n1'"));

        assertThat(rescuer.runOnce()).isEqualTo(1);
        assertThat(status(id)).isEqualTo("queued");
        assertThat(lastError(id)).startsWith("node n1 is gone from lamplighter.nodes (lease said ");
    }

    @Test
    void a_job_whose_node_was_not_seen_within_the_live_window_is_rescued_although_its_lease_runs_a_hundred_years() {
        nodeSeen("n1", clock.instant());
        long id = runningForACentury("plain", "n1");

        clock.advance(JobRescuer.LIVE_WITHIN);
        assertThat(rescuer.runOnce()).as("seen exactly at the edge of the window: still live").isZero();
        clock.advance(Duration.ofSeconds(1));

        assertThat(rescuer.runOnce()).isEqualTo(1);
        assertThat(status(id)).isEqualTo("queued");
        assertThat(lastError(id)).startsWith("node n1 not seen since ");
    }

    @Test
    void a_job_of_a_live_node_with_a_long_lease_stays_where_it_is() {
        long id = runningForACentury("plain", "n1");
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(4));
            nodeSeen("n1", clock.instant());
            assertThat(rescuer.runOnce()).isZero();
        }
        assertThat(status(id)).isEqualTo("running");
    }

    @Test
    void an_exclusive_job_waits_while_its_node_is_live_and_goes_back_once_the_node_is_silent() {
        jdbi.useHandle(h -> h.execute("INSERT INTO lamplighter.job_types (job_type, exclusive) VALUES ('payout', true)"));
        nodeSeen("n1", clock.instant());
        long id = runningForACentury("payout", "n1");
        assertThat(rescuer.runOnce()).isZero();

        clock.advance(JobRescuer.LIVE_WITHIN.plusSeconds(1));
        assertThat(rescuer.runOnce()).isEqualTo(1);
        assertThat(status(id)).isEqualTo("queued");
    }

    @Test
    void a_job_with_no_attempts_left_on_a_gone_node_fails_with_the_reason() {
        long id = runningForACentury("plain", "gone");
        jdbi.useHandle(h -> h.execute("UPDATE lamplighter.jobs SET max_attempts = 1 WHERE job_id = ?", id));

        assertThat(rescuer.runOnce()).isEqualTo(1);
        assertThat(status(id)).isEqualTo("failed");
        assertThat(lastError(id)).startsWith("node gone is gone from lamplighter.nodes");
    }

    /**
     * A node that was paused past the stale window (a long GC pause, a suspended VM) finds its row
     * deleted by another node; its next heartbeat writes it again, and its jobs were rescued meanwhile.
     */
    @Test
    void a_live_node_whose_row_was_deleted_writes_it_again_at_its_next_heartbeat() {
        NodeHeartbeat heartbeat = new NodeHeartbeat(jdbi, "paused", "test", List.of(), List.of("plain"), List.of(), clock);
        heartbeat.announce();
        long id = runningForACentury("plain", "paused");

        clock.advance(NodeHeartbeat.STALE_AFTER.plusSeconds(1));
        new NodeHeartbeat(jdbi, "other", "test", List.of(), List.of(), List.of(), clock).runOnce();
        assertThat(nodes()).as("the other node's beat forgot the paused one").doesNotContain("paused");
        assertThat(rescuer.runOnce()).isEqualTo(1);
        assertThat(status(id)).isEqualTo("queued");

        heartbeat.runOnce();
        assertThat(nodes()).contains("paused", "other");
    }

    private List<String> nodes() {
        return jdbi.withHandle(h -> h.createQuery("SELECT node_id FROM lamplighter.nodes ORDER BY 1").mapTo(String.class).list());
    }
}
