package dev.lamplighter.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.worker.internal.queue.WorkerSummary;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The worker pool's INFO summary: one line a minute at most while jobs run, nothing while idle. */
class WorkerSummaryTest {

    private static final long S = 1_000_000_000L;
    private final WorkerSummary summary = new WorkerSummary("n1", Duration.ofMinutes(1));

    @Test
    void a_busy_minute_gives_one_line_with_counts_and_rate() {
        assertThat(summary.sample(0, 0, 5 * S)).isNull();
        assertThat(summary.sample(20_000, 20_002, 35 * S)).as("not a minute yet").isNull();
        assertThat(summary.sample(48_210, 48_215, 65 * S))
                .isEqualTo("Worker pool on node n1: 48,210 completed, 5 failed or retried in the last 60s (803/s)");
        assertThat(summary.sample(60_000, 60_005, 70 * S)).as("at most one line a minute").isNull();
        assertThat(summary.sample(60_000, 60_005, 125 * S))
                .isEqualTo("Worker pool on node n1: 11,790 completed, 0 failed or retried in the last 60s (196/s)");
    }

    @Test
    void an_idle_pool_logs_nothing() {
        assertThat(summary.sample(7, 7, 0)).isNull();
        assertThat(summary.sample(7, 7, 61 * S)).isNull();
        assertThat(summary.sample(7, 7, 3600 * S)).isNull();
        assertThat(summary.sample(8, 8, 3630 * S)).as("a new window began at the last idle minute").isNull();
        assertThat(summary.sample(8, 8, 3661 * S)).startsWith("Worker pool on node n1: 1 completed, 0 failed or retried");
    }

    @Test
    void a_completion_not_yet_counted_as_ended_is_never_reported_as_a_failure() {
        assertThat(summary.sample(0, 0, 0)).isNull();
        assertThat(summary.sample(10, 9, 60 * S)).isEqualTo(
                "Worker pool on node n1: 10 completed, 0 failed or retried in the last 60s (0/s)");
        assertThat(summary.sample(10, 12, 120 * S)).isEqualTo(
                "Worker pool on node n1: 0 completed, 2 failed or retried in the last 60s (0/s)");
    }

    @Test
    void a_window_that_is_not_positive_is_refused() {
        assertThatThrownBy(() -> new WorkerSummary("n1", Duration.ZERO))
                .hasMessage("every = PT0S is not allowed: expected a positive duration");
    }
}
