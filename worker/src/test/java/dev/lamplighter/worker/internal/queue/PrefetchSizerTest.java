package dev.lamplighter.worker.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The prefetch target from measured run times: pure arithmetic, no database, no clock. */
class PrefetchSizerTest {

    private static PrefetchSizer sizer(int threads, int cap) {
        return new PrefetchSizer(threads, cap, Duration.ofMillis(50));
    }

    @Test
    void before_any_job_ends_the_prefetch_is_the_thread_count_at_most_the_cap() {
        assertThat(sizer(8, 200).prefetch()).isEqualTo(8);
        assertThat(sizer(8, 3).prefetch()).isEqualTo(3);
        assertThat(sizer(8, 0).prefetch()).isZero();
        assertThat(sizer(8, 200).averageRunTime()).isNull();
    }

    @Test
    void the_prefetch_is_what_the_threads_start_within_the_lookahead_bounded_by_the_cap() {
        PrefetchSizer fast = sizer(2, 200);
        ranTimes(fast, 300, Duration.ofNanos(20_000));
        assertThat(fast.prefetch()).as("2 threads x 50 ms / 20 us = 5000, capped").isEqualTo(200);

        PrefetchSizer medium = sizer(2, 200);
        ranTimes(medium, 20, Duration.ofMillis(10));
        assertThat(medium.prefetch()).as("2 threads x 50 ms / 10 ms").isEqualTo(10);

        PrefetchSizer slow = sizer(2, 200);
        slow.ran(Duration.ofSeconds(1).toNanos());
        assertThat(slow.prefetch()).as("a job longer than the lookahead: none beyond the free threads").isZero();

        PrefetchSizer instant = sizer(2, 200);
        ranTimes(instant, 300, Duration.ZERO);
        assertThat(instant.prefetch()).isEqualTo(200);
    }

    @Test
    void a_node_holds_no_more_than_it_has_run_so_it_ramps_up_instead_of_trusting_one_fast_job() {
        PrefetchSizer sizer = sizer(4, 1000);
        sizer.ran(Duration.ofNanos(10_000).toNanos());
        assertThat(sizer.prefetch()).as("one fast job run: the threads' count").isEqualTo(4);
        ranTimes(sizer, 9, Duration.ofNanos(10_000));
        assertThat(sizer.prefetch()).as("ten run").isEqualTo(10);
        ranTimes(sizer, 90, Duration.ofNanos(10_000));
        assertThat(sizer.prefetch()).as("a hundred run").isEqualTo(100);
        ranTimes(sizer, 5_000, Duration.ofNanos(10_000));
        assertThat(sizer.prefetch()).as("thousands run: the cap").isEqualTo(1000);
    }

    private static void ranTimes(PrefetchSizer sizer, int times, Duration each) {
        for (int i = 0; i < times; i++) {
            sizer.ran(each.toNanos());
        }
    }

    @Test
    void the_run_time_is_a_moving_average_so_one_outlier_does_not_swing_the_claim() {
        PrefetchSizer sizer = sizer(4, 1000);
        ranTimes(sizer, 250, Duration.ofMillis(1));
        assertThat(sizer.prefetch()).isEqualTo(200);
        sizer.ran(Duration.ofMillis(101).toNanos());
        assertThat(sizer.averageRunTime()).isEqualTo(Duration.ofMillis(21));
        assertThat(sizer.prefetch()).as("4 threads x 50 ms / 21 ms").isEqualTo(9);
        for (int i = 0; i < 50; i++) {
            sizer.ran(Duration.ofMillis(1).toNanos());
        }
        assertThat(sizer.prefetch()).as("back to fast").isBetween(195, 200);
    }
}
