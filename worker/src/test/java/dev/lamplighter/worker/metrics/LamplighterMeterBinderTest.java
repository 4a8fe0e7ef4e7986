package dev.lamplighter.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.TriggerSource;
import dev.lamplighter.worker.events.AttemptEvent;
import dev.lamplighter.worker.events.CheckEvent;
import dev.lamplighter.worker.testing.LogCapture;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The binder's meters from events alone: tags, the cap on distinct values, several registries. */
class LamplighterMeterBinderTest {

    private static CheckEvent check(String schedule, CheckEvent.Outcome outcome, CheckEvent.Reason reason) {
        return new CheckEvent(schedule, outcome, reason, Duration.ofMillis(3), TriggerSource.CRON);
    }

    @Test
    void schedules_beyond_the_cap_are_counted_as_other_with_one_warning() {
        LamplighterMeterBinder binder = new LamplighterMeterBinder(2);
        MeterRegistry registry = new SimpleMeterRegistry();
        binder.bindTo(registry);
        try (LogCapture log = new LogCapture()) {
            for (String s : new String[] {"a", "b", "c", "d", "a"}) {
                binder.checked(check(s, CheckEvent.Outcome.SKIPPED, CheckEvent.Reason.CONDITION_NOT_MET));
            }
            assertThat(log.warnings()).singleElement().asString().contains("more than 2 distinct schedule values")
                    .contains("'c'");
        }
        assertThat(registry.get("lamplighter.checks").tag("schedule", "a").tag("outcome", "skipped").counter().count())
                .isEqualTo(2);
        assertThat(registry.get("lamplighter.checks").tag("schedule", "other").tag("outcome", "skipped").counter().count())
                .isEqualTo(2);
        assertThat(registry.get("lamplighter.skips").tag("schedule", "other").tag("reason", "condition_not_met")
                .counter().count()).isEqualTo(2);
        assertThat(registry.find("lamplighter.checks").tag("schedule", "c").counters()).isEmpty();
        assertThat(registry.get("lamplighter.decisions").tag("source", "cron").counter().count()).isEqualTo(5);
    }

    @Test
    void a_missed_slot_is_a_skip_and_a_failure_is_not() {
        LamplighterMeterBinder binder = new LamplighterMeterBinder();
        MeterRegistry registry = new SimpleMeterRegistry();
        binder.bindTo(registry);
        binder.checked(check("s", CheckEvent.Outcome.MISSED, CheckEvent.Reason.MISSED_SLOT));
        binder.checked(check("s", CheckEvent.Outcome.FAILED, CheckEvent.Reason.BROKEN_ROW));
        binder.checked(check("s", CheckEvent.Outcome.LAUNCHED, CheckEvent.Reason.CONDITION_MET));

        assertThat(registry.get("lamplighter.skips").tag("reason", "missed_slot").counter().count()).isEqualTo(1);
        assertThat(registry.get("lamplighter.skips").counters()).hasSize(4)
                .allSatisfy(c -> assertThat(c.getId().getTag("reason")).isNotEqualTo("broken_row"));
        assertThat(registry.get("lamplighter.launcher.failures").tag("schedule", "s").counter().count()).isEqualTo(1);
        assertThat(registry.get("lamplighter.checks").tag("outcome", "missed").counter().count()).isEqualTo(1);
        assertThat(registry.get("lamplighter.checks").tag("outcome", "launched").counter().count()).isEqualTo(1);
    }

    @Test
    void every_bound_registry_gets_the_meters_and_released_attempts_have_no_duration() {
        LamplighterMeterBinder binder = new LamplighterMeterBinder();
        MeterRegistry one = new SimpleMeterRegistry();
        MeterRegistry two = new SimpleMeterRegistry();
        binder.bindTo(one);
        binder.bindTo(two);
        binder.attemptEnded(new AttemptEvent("report", 1, 1, AttemptEvent.Outcome.COMPLETED, Duration.ofSeconds(2)));
        binder.attemptEnded(new AttemptEvent("report", 2, 1, AttemptEvent.Outcome.RELEASED, Duration.ZERO));
        binder.claimed("report", 5);
        binder.rescued("report", 3);
        for (MeterRegistry r : new MeterRegistry[] {one, two}) {
            assertThat(r.get("lamplighter.jobs.completed").tag("job_type", "report").counter().count()).isEqualTo(1);
            assertThat(r.get("lamplighter.jobs.released").tag("job_type", "report").counter().count()).isEqualTo(1);
            assertThat(r.get("lamplighter.jobs.claimed").tag("job_type", "report").counter().count()).isEqualTo(5);
            assertThat(r.get("lamplighter.jobs.rescued").tag("job_type", "report").counter().count()).isEqualTo(3);
            assertThat(r.get("lamplighter.job.duration").tag("job_type", "report").timer().count()).isEqualTo(1);
        }
    }

    @Test
    void a_cap_out_of_bounds_is_refused_with_the_value_and_the_bounds() {
        assertThatThrownBy(() -> new LamplighterMeterBinder(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxTagValues = 0 is not allowed: expected 1 to 100000");
    }
}
