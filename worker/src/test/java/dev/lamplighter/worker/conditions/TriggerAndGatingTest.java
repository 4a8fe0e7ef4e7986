package dev.lamplighter.worker.conditions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.Decision;
import dev.lamplighter.Launcher;
import dev.lamplighter.Schedule;
import dev.lamplighter.TriggerSource;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.conditions.Conditions;
import dev.lamplighter.worker.internal.poll.PollerSettings;
import dev.lamplighter.worker.internal.poll.SchedulePoller;
import dev.lamplighter.worker.internal.poll.ScheduleRegistrar;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(TestClock.TAG)
class TriggerAndGatingTest {

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = TestClock.mutable();
    private final LamplighterClient client = LamplighterClient.create(db.database().dataSource(), clock);
    private final Launcher skipper = Conditions.launcher("Skipper", ctx -> Decision.skip("nothing to do"));

    @BeforeEach
    void reset() {
        db.reset();
    }

    private SchedulePoller poller(Set<String> capabilities, String node) {
        return new SchedulePoller(jdbi, Map.of("Skipper", skipper),
                new PollerSettings(node, Duration.ofSeconds(60), Duration.ofMinutes(2), 5L, clock, 100).withCapabilities(capabilities));
    }

    private List<String> sources() {
        return jdbi.withHandle(h -> h.createQuery("SELECT trigger_source FROM lamplighter.decision_log ORDER BY decision_id")
                .mapTo(String.class).list());
    }

    @Test
    void the_decision_log_records_whether_cron_an_event_or_an_operator_caused_the_check() {
        new ScheduleRegistrar(jdbi, clock).register(List.of(
                Schedule.builder("anneal").cron("0 * * * *").launcher("Skipper").jobType("anneal").build()));
        SchedulePoller poller = poller(Set.of(), "n1");

        clock.set(TestClock.start().plus(java.time.Duration.ofHours(1)));
        poller.runOnce();
        client.trigger("anneal");
        poller.runOnce();
        jdbi.useHandle(h -> h.createUpdate("UPDATE lamplighter.scheduled_jobs SET next_run = :now WHERE name = 'anneal'")
                .bind("now", clock.instant()).execute());
        poller.runOnce();
        client.trigger("anneal", TriggerSource.MANUAL);
        poller.runOnce();

        assertThat(sources()).containsExactly("cron", "event", "manual", "manual");
        String pending = jdbi.withHandle(h -> h.createQuery("SELECT pending_trigger FROM lamplighter.scheduled_jobs")
                .mapTo(String.class).one());
        assertThat(pending).as("cleared by the check").isNull();
    }

    @Test
    void a_node_without_the_required_capability_leaves_the_schedule_to_a_node_that_has_it() {
        new ScheduleRegistrar(jdbi, clock).register(List.of(
                Schedule.builder("category_refresh").every(Duration.ofHours(1)).requires("llm")
                        .launcher("Skipper").jobType("category_refresh").build()));

        SchedulePoller plain = poller(Set.of("redis"), "plain-node");
        assertThat(plain.runOnce().notChecked()).isEqualTo(1);
        assertThat(plain.runOnce().checked()).as("left due, reported once").isZero();
        List<String> reasons = jdbi.withHandle(h -> h.createQuery("SELECT reason FROM lamplighter.decision_log")
                .mapTo(String.class).list());
        assertThat(reasons).as("said once, not at every tick").containsExactly(
                "requires capabilities [llm]: node plain-node lacks [llm] (it has [redis]); the schedule stays due for a node that has them");

        SchedulePoller withLlm = poller(Set.of("llm"), "llm-node");
        assertThat(withLlm.runOnce().skipped()).isEqualTo(1);
        String last = jdbi.withHandle(h -> h.createQuery(
                "SELECT outcome || ' on ' || node_id FROM lamplighter.decision_log ORDER BY decision_id DESC LIMIT 1")
                .mapTo(String.class).one());
        assertThat(last).isEqualTo("skipped on llm-node");
    }
}
