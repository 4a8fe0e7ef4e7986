package dev.lamplighter.worker.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.internal.schedule.Shown;
import dev.lamplighter.worker.internal.schedule.Timetable;
import dev.lamplighter.worker.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Values from broken rows (chaos/BrokenRows) that the timetable and messages must take as they come. */
class BrokenValueTest {

    /** What pgjdbc reads for a timestamptz of '-infinity'. */
    private static final Instant MINUS_INFINITY = Instant.ofEpochMilli(-9223372036832400000L);

    @Test
    void an_interval_schedule_due_since_minus_infinity_is_next_due_one_interval_after_now() {
        Instant now = TestClock.start().plusSeconds(30);
        Timetable every = Timetable.of(null, Duration.ofMinutes(1), "UTC");

        assertThat(every.nextAfter(MINUS_INFINITY, now)).isEqualTo(now.plus(Duration.ofMinutes(1)));
        assertThat(MINUS_INFINITY).isBefore(Timetable.POSTGRES_MIN);
    }

    @Test
    void a_value_with_control_characters_is_shown_on_one_line() {
        assertThat(Shown.quoted("Probe\nINFO forged\tline\u001b[31m"))
                .isEqualTo("\"Probe\\nINFO forged\\tline\\u001b[31m\"");
        assertThat(Shown.quoted("x".repeat(300))).endsWith("... (300 chars)\"");
    }
}
