package dev.lamplighter.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The prefetch target from measured run times: pure arithmetic, no database, no clock. */
class PrefetchSizerTest {

    /** The sizer is internal to the queue package; reached through reflection to keep it unexported. */
    private static final class Sizer {
        private final Object target;

        Sizer(int threads, int cap) throws Exception {
            Class<?> type = Class.forName("dev.lamplighter.worker.internal.queue.PrefetchSizer");
            Constructor<?> c = type.getDeclaredConstructor(int.class, int.class, Duration.class);
            c.setAccessible(true);
            target = c.newInstance(threads, cap, Duration.ofMillis(50));
        }

        void ran(Duration d) throws Exception {
            Method m = target.getClass().getDeclaredMethod("ran", long.class);
            m.setAccessible(true);
            m.invoke(target, d.toNanos());
        }

        int prefetch() throws Exception {
            Method m = target.getClass().getDeclaredMethod("prefetch");
            m.setAccessible(true);
            return (int) m.invoke(target);
        }
    }

    @Test
    void before_any_job_ends_the_prefetch_is_the_thread_count_at_most_the_cap() throws Exception {
        assertThat(new Sizer(8, 200).prefetch()).isEqualTo(8);
        assertThat(new Sizer(8, 3).prefetch()).isEqualTo(3);
        assertThat(new Sizer(8, 0).prefetch()).isZero();
    }

    @Test
    void the_prefetch_is_what_the_threads_start_within_the_lookahead_bounded_by_the_cap() throws Exception {
        Sizer fast = new Sizer(2, 200);
        fast.ran(Duration.ofNanos(20_000));
        assertThat(fast.prefetch()).as("2 threads x 50 ms / 20 us = 5000, capped").isEqualTo(200);

        Sizer medium = new Sizer(2, 200);
        medium.ran(Duration.ofMillis(10));
        assertThat(medium.prefetch()).as("2 threads x 50 ms / 10 ms").isEqualTo(10);

        Sizer slow = new Sizer(2, 200);
        slow.ran(Duration.ofSeconds(1));
        assertThat(slow.prefetch()).as("a job longer than the lookahead: none beyond the free threads").isZero();

        Sizer instant = new Sizer(2, 200);
        instant.ran(Duration.ZERO);
        assertThat(instant.prefetch()).isEqualTo(200);
    }

    @Test
    void the_run_time_is_a_moving_average_so_one_outlier_does_not_swing_the_claim() throws Exception {
        Sizer sizer = new Sizer(4, 1000);
        for (int i = 0; i < 50; i++) {
            sizer.ran(Duration.ofMillis(1));
        }
        assertThat(sizer.prefetch()).isEqualTo(200);
        sizer.ran(Duration.ofMillis(101));
        assertThat(sizer.prefetch()).as("average 1 ms + 0.2 x 100 ms = 21 ms").isEqualTo(9);
        for (int i = 0; i < 50; i++) {
            sizer.ran(Duration.ofMillis(1));
        }
        assertThat(sizer.prefetch()).as("back to fast").isBetween(195, 200);
    }
}
