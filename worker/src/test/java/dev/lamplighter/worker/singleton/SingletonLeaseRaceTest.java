package dev.lamplighter.worker.singleton;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.internal.singleton.SingletonStore;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The lease statements on their own: nodes that race to acquire at the same instant never both
 * get it, each acquisition adds one to the token, and a renewal or release under an old token
 * changes nothing.
 */
@Tag(TestClock.TAG)
class SingletonLeaseRaceTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final int NODES = 5;
    private static final int ROUNDS = 60;

    private final TestDatabase db = TestDatabase.get();
    private final MutableClock clock = TestClock.mutable();

    @BeforeEach
    void reset() {
        db.reset();
    }

    private SingletonStore store(String node) {
        return new SingletonStore(db.jdbi(), node, clock);
    }

    @Test
    void five_nodes_racing_at_the_same_instant_never_both_hold_it_and_every_takeover_adds_one_to_the_token() throws Exception {
        List<SingletonStore> stores = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            stores.add(store("n" + i));
        }
        CyclicBarrier barrier = new CyclicBarrier(NODES);
        ExecutorService pool = Executors.newFixedThreadPool(NODES);
        try {
            long previous = 0;
            for (int round = 0; round < ROUNDS; round++) {
                List<Future<Optional<Long>>> tries = new ArrayList<>();
                for (SingletonStore s : stores) {
                    tries.add(pool.submit(() -> {
                        barrier.await(30, TimeUnit.SECONDS);
                        return s.acquire("race", LEASE);
                    }));
                }
                List<Long> won = new ArrayList<>();
                for (Future<Optional<Long>> f : tries) {
                    f.get(30, TimeUnit.SECONDS).ifPresent(won::add);
                }
                assertThat(won).as("round %d", round).hasSize(1);
                assertThat(won.get(0)).isEqualTo(previous + 1);
                previous = won.get(0);
                clock.advance(LEASE);   // the holder stops renewing: its lease runs out for the next round
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_former_holder_can_neither_renew_nor_release_under_its_old_token() {
        SingletonStore a = store("a");
        SingletonStore b = store("b");
        long first = a.acquire("feed", LEASE).orElseThrow();
        assertThat(b.acquire("feed", LEASE)).as("a's lease holds").isEmpty();
        assertThat(a.renew("feed", first, LEASE)).isTrue();

        clock.advance(LEASE);
        assertThat(a.renew("feed", first, LEASE)).as("a lease that ran out is not renewed").isFalse();
        long second = b.acquire("feed", LEASE).orElseThrow();

        assertThat(second).isEqualTo(first + 1);
        assertThat(a.renew("feed", first, LEASE)).isFalse();
        assertThat(a.release("feed", first)).isFalse();
        assertThat(b.holder("feed")).hasValueSatisfying(h -> {
            assertThat(h.owner()).isEqualTo("b");
            assertThat(h.token()).isEqualTo(second);
            assertThat(h.leaseValid()).isTrue();
        });
        assertThat(b.release("feed", second)).isTrue();
        assertThat(a.acquire("feed", LEASE)).as("free at once after a release").contains(second + 1);
    }
}
