package dev.lamplighter.worker.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.internal.poll.TickLog;
import dev.lamplighter.worker.internal.poll.TickResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the poll loop says at INFO: a line per tick that did something, an idle summary every few minutes. */
class TickLogTest {

    private static final long SECOND = 1_000_000_000L;

    private static TickResult idle(boolean leader) {
        return new TickResult(leader, 0, 0, 0, 0, false, 0, 12.4);
    }

    @Test
    void an_idle_node_says_it_is_alive_once_per_summary_interval_and_a_busy_tick_says_what_it_did() {
        TickLog log = new TickLog("n1", Duration.ofMinutes(5));
        List<String> lines = new ArrayList<>();
        long t = 1_000 * SECOND;
        for (int tick = 0; tick < 20; tick++) {
            String line = log.afterTick(idle(tick % 2 == 0), t);
            if (line != null) {
                lines.add(line);
            }
            t += 60 * SECOND;
        }
        assertThat(lines).containsExactly(
                "Poll loop alive on node n1: 6 ticks (3 led), 0 due, last tick 12 ms",
                "Poll loop alive on node n1: 5 ticks (3 led), 0 due, last tick 12 ms",
                "Poll loop alive on node n1: 5 ticks (2 led), 0 due, last tick 12 ms");

        assertThat(log.afterTick(new TickResult(true, 2, 1, 1, 0, true, 0, 40.2), t))
                .isEqualTo("Tick on node n1: launched=2 skipped=1 failed=1 in 40 ms; more are due, ticking again at once");
        assertThat(log.afterTick(idle(true), t + SECOND)).as("quiet again right after").isNull();
    }
}
