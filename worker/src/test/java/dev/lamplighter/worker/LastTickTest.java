package dev.lamplighter.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.events.LamplighterListener;
import dev.lamplighter.worker.events.TickEvent;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link Lamplighter#lastTick()}: this node's last tick on its clock and whether it led it, and
 * the cluster's last led tick from the nodes table; moving the test clock never changes
 * {@link Lamplighter#health()}.
 */
@Tag(TestClock.TAG)
class LastTickTest {

    private final TestDatabase db = TestDatabase.get();

    @BeforeEach
    void reset() {
        db.reset();
    }

    @Test
    void last_tick_says_when_this_node_ticked_whether_it_led_and_when_the_cluster_last_led() throws Exception {
        MutableClock clock = TestClock.mutable();
        CountDownLatch firstTick = new CountDownLatch(1);
        Lamplighter built = Lamplighter.builder(db.database().dataSource())
                .config(LamplighterConfig.builder().clock(clock).nodeId("tick-node").pollInterval(Duration.ofHours(1))
                        .listen(false).workerThreads(0).build())
                .listener(new LamplighterListener() {
                    @Override
                    public void tickEnded(TickEvent event) {
                        firstTick.countDown();
                    }
                }).build();
        assertThat(built.lastTick().at()).as("before start").isEmpty();
        try (Lamplighter node = built.start()) {
            assertThat(firstTick.await(30, TimeUnit.SECONDS)).isTrue();
            Instant started = clock.instant();
            LastTick first = node.lastTick();
            assertThat(first.at()).contains(started);
            assertThat(first.led()).isTrue();
            assertThat(first.clusterLastLedAt()).contains(started);

            // Another node holds the tick lock: this node's tick runs, but does not lead.
            clock.advance(Duration.ofMinutes(10));
            try (Handle other = db.jdbi().open()) {
                other.begin();
                other.createQuery("SELECT pg_advisory_xact_lock(:key) IS NULL").bind("key", node.config().advisoryLockKey())
                        .mapTo(Boolean.class).one();
                assertThat(node.poller().runOnce().leader()).isFalse();
                other.rollback();
            }
            LastTick follower = node.lastTick();
            assertThat(follower.at()).contains(started.plus(Duration.ofMinutes(10)));
            assertThat(follower.led()).isFalse();
            assertThat(follower.clusterLastLedAt()).as("the cluster last led at the first tick").contains(started);

            clock.advance(Duration.ofDays(400));
            assertThat(node.health().healthy()).as("a moved clock is no health problem").isTrue();
            node.poller().runOnce();
            assertThat(node.lastTick().led()).isTrue();
            assertThat(node.lastTick().clusterLastLedAt()).contains(clock.instant());
        }
    }

    @Test
    void a_node_without_a_poll_loop_has_no_tick_of_its_own() {
        try (Lamplighter node = Lamplighter.builder(db.database().dataSource())
                .config(LamplighterConfig.builder().clock(TestClock.mutable()).nodeId("no-loop").schedulerEnabled(false)
                        .workerThreads(0).build()).start()) {
            LastTick t = node.lastTick();
            assertThat(t.at()).isEmpty();
            assertThat(t.led()).isFalse();
            assertThat(t.clusterLastLedAt()).isEmpty();
        }
    }
}
