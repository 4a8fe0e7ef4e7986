package dev.lamplighter.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.lamplighter.TriggerSource;
import dev.lamplighter.worker.events.AttemptEvent;
import dev.lamplighter.worker.events.CheckEvent;
import dev.lamplighter.worker.events.LamplighterListener;
import dev.lamplighter.worker.events.TickEvent;
import dev.lamplighter.worker.testing.EventSequence;
import dev.lamplighter.worker.testing.LogCapture;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A node's listener hears exactly what happened, once it committed: a launch, a skip, a launcher
 * failure that disables its schedule, a completed job, a job retried then failed for good, a
 * timeout, a rescue. A listener that throws is logged once per method and the node goes on.
 */
@Tag(TestClock.TAG)
class LamplighterListenerTest {

    private final TestDatabase db = TestDatabase.get();

    @BeforeEach
    void reset() {
        db.reset();
    }

    @Test
    void a_listener_receives_exactly_the_events_of_a_known_sequence() throws Exception {
        MutableClock clock = TestClock.mutable();
        EventSequence.Recorder events = new EventSequence.Recorder();
        try (Lamplighter node = EventSequence.node(db.database().dataSource(), clock, "listener-node")
                .listener(events).start()) {
            EventSequence.run(node, db.jdbi(), clock, events);
        }

        assertThat(events.checks())
                .extracting(CheckEvent::schedule, CheckEvent::outcome, CheckEvent::reason, CheckEvent::source)
                .containsExactlyInAnyOrder(
                        tuple("ev_launch", CheckEvent.Outcome.LAUNCHED, CheckEvent.Reason.CONDITION_MET, TriggerSource.EVENT),
                        tuple("ev_skip", CheckEvent.Outcome.SKIPPED, CheckEvent.Reason.CONDITION_NOT_MET, TriggerSource.EVENT),
                        tuple("ev_broken", CheckEvent.Outcome.FAILED, CheckEvent.Reason.LAUNCHER_ERROR, TriggerSource.EVENT));
        assertThat(events.checks()).allSatisfy(c -> assertThat(c.took()).isPositive());
        assertThat(events.disabled()).singleElement().asString()
                .startsWith("ev_broken: ").contains("IllegalStateException: the source is down");

        List<TickEvent> led = events.ticks().stream().filter(TickEvent::led).toList();
        assertThat(led.stream().mapToInt(TickEvent::launched).sum()).isEqualTo(1);
        assertThat(led.stream().mapToInt(TickEvent::skipped).sum()).isEqualTo(1);
        assertThat(led.stream().mapToInt(TickEvent::failed).sum()).isEqualTo(1);
        assertThat(led).allSatisfy(t -> {
            assertThat(t.nodeId()).isEqualTo("listener-node");
            assertThat(t.took()).isPositive();
            assertThat(t.lag()).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(Duration.ofMinutes(1));
        });

        assertThat(events.claimed("ev_ok")).isEqualTo(1);
        assertThat(events.claimed("ev_flaky")).isEqualTo(2);
        assertThat(events.claimed("ev_slow")).isEqualTo(1);
        assertThat(events.claimed("ev_ghost")).isZero();
        assertThat(events.attempts())
                .extracting(AttemptEvent::jobType, AttemptEvent::attempt, AttemptEvent::outcome)
                .containsExactly(
                        tuple("ev_ok", 1, AttemptEvent.Outcome.COMPLETED),
                        tuple("ev_flaky", 1, AttemptEvent.Outcome.RETRIED),
                        tuple("ev_flaky", 2, AttemptEvent.Outcome.FAILED),
                        tuple("ev_slow", 1, AttemptEvent.Outcome.TIMED_OUT));
        assertThat(events.attempts()).allSatisfy(a -> assertThat(a.ran()).isGreaterThanOrEqualTo(Duration.ZERO));
        assertThat(events.attempts().get(3).ran()).as("the slow job ran until its 200 ms limit")
                .isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(events.rescued("ev_ghost")).isEqualTo(1);
    }

    /** Throws from every method. */
    static final class Throwing implements LamplighterListener {
        @Override
        public void tickEnded(TickEvent event) {
            throw new IllegalStateException("tick listener broke");
        }

        @Override
        public void checked(CheckEvent event) {
            throw new IllegalStateException("check listener broke");
        }

        @Override
        public void claimed(String jobType, int count) {
            throw new IllegalStateException("claim listener broke");
        }

        @Override
        public void attemptEnded(AttemptEvent event) {
            throw new IllegalStateException("attempt listener broke");
        }
    }

    @Test
    void a_listener_that_throws_is_logged_once_per_method_and_the_node_goes_on() throws Exception {
        MutableClock clock = TestClock.mutable();
        EventSequence.Recorder events = new EventSequence.Recorder();
        try (LogCapture log = new LogCapture();
             Lamplighter node = EventSequence.node(db.database().dataSource(), clock, "throwing-node")
                     .listener(new Throwing()).listener(events).start()) {
            for (int round = 1; round <= 3; round++) {
                int before = events.checks().size();
                clock.advance(Duration.ofMinutes(1));   // a new slot: the same slot would be "already launched"
                node.client().trigger("ev_launch");
                events.await("check " + round, () -> events.checks().size() > before);
                int done = round;
                events.await("job " + round, () -> events.attempts("ev_ok", AttemptEvent.Outcome.COMPLETED) >= done);
            }
            List<String> lines = log.warnings().stream().filter(l -> l.contains(Throwing.class.getName())).toList();
            assertThat(lines).as("one line per method, not per call").hasSize(4);
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("threw from checked")
                    .contains("check listener broke"));
            assertThat(lines).noneSatisfy(l -> assertThat(l).contains("\tat "));
            assertThat(node.isHealthy()).isTrue();
        }
        assertThat(events.checks()).hasSize(3).allSatisfy(c -> assertThat(c.outcome()).isEqualTo(CheckEvent.Outcome.LAUNCHED));
        assertThat(events.attempts("ev_ok", AttemptEvent.Outcome.COMPLETED)).isEqualTo(3);
    }

    @Test
    void a_listener_added_to_a_built_node_hears_from_then_on_and_not_after_removal() throws Exception {
        MutableClock clock = TestClock.mutable();
        EventSequence.Recorder events = new EventSequence.Recorder();
        EventSequence.Recorder later = new EventSequence.Recorder();
        try (Lamplighter node = EventSequence.node(db.database().dataSource(), clock, "adding-node")
                .listener(events).start()) {
            node.addListener(later);
            node.client().trigger("ev_skip");
            later.await("the check", () -> later.checks().size() == 1);
            assertThat(node.removeListener(later)).isTrue();
            assertThat(node.removeListener(later)).isFalse();
            node.client().trigger("ev_skip");
            events.await("the second check", () -> events.checks().size() == 2);
        }
        assertThat(later.checks()).hasSize(1);
    }
}
