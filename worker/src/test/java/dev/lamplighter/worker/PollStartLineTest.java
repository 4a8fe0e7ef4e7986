package dev.lamplighter.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.testing.LogCapture;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The poll loop's start line says what wakes it: the interval and NOTIFY, or with LISTEN off the interval only. */
class PollStartLineTest {

    private final TestDatabase db = TestDatabase.get();

    @BeforeEach
    void reset() {
        db.reset();
    }

    private List<String> startLines(String nodeId, boolean listen) {
        try (LogCapture logs = new LogCapture();
             Lamplighter node = Lamplighter.builder(db.database().dataSource())
                     .config(LamplighterConfig.builder().nodeId(nodeId).listen(listen).migrate(false)
                             .pollInterval(Duration.ofMinutes(7)).build())
                     .start()) {
            assertThat(node.isHealthy()).isTrue();
            return logs.infos().stream().filter(l -> l.contains("Poll loop started")).toList();
        }
    }

    @Test
    void with_listen_off_the_start_line_says_the_poll_loop_ticks_on_its_interval_only() {
        assertThat(startLines("poll-no-listen", false)).singleElement().asString()
                .endsWith("Poll loop started on node poll-no-listen (every 7min only, not woken by NOTIFY: LISTEN is off)")
                .doesNotContain("and on NOTIFY");
    }

    @Test
    void with_listen_on_the_start_line_says_a_notify_wakes_the_poll_loop_too() {
        assertThat(startLines("poll-listening", true)).singleElement().asString()
                .endsWith("Poll loop started on node poll-listening (every 7min, and on NOTIFY)");
    }
}
