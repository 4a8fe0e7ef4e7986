package dev.lamplighter.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.JobHandler;
import dev.lamplighter.Launcher;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.worker.internal.poll.PollerSettings;
import dev.lamplighter.worker.internal.poll.SchedulePoller;
import dev.lamplighter.worker.internal.poll.ScheduleRegistrar;
import dev.lamplighter.worker.internal.queue.WorkerPool;
import dev.lamplighter.worker.internal.queue.WorkerSettings;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo's four schedules, launchers and handlers, driven tick by tick on a mutable clock. */
class DemoTest {

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private SchedulePoller poller;
    private WorkerPool workers;
    private LamplighterClient client;

    @BeforeEach
    void setUp() {
        db.reset();
        Demo.createSchema(jdbi);
        new ScheduleRegistrar(jdbi, clock).register(Demo.schedules());
        Map<String, Launcher> launchers = DemoLaunchers.all().stream().collect(Collectors.toMap(Launcher::name, Function.identity()));
        Map<String, JobHandler> handlers = DemoHandlers.all(jdbi).stream().collect(Collectors.toMap(JobHandler::jobType, Function.identity()));
        poller = new SchedulePoller(jdbi, launchers, new PollerSettings("demo", Duration.ofSeconds(5), Duration.ofMinutes(2), 77L, clock, 100));
        workers = new WorkerPool(jdbi, handlers, new WorkerSettings("demo", 4, Duration.ofSeconds(1), Duration.ofMinutes(5),
                Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofSeconds(5), clock));
        client = LamplighterClient.create(db.database().dataSource(), clock);
    }

    private String lastDecision(String schedule) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT outcome || ': ' || reason FROM lamplighter.decision_log
                WHERE schedule_name = :s ORDER BY decision_id DESC LIMIT 1""").bind("s", schedule).mapTo(String.class).one());
    }

    private long scalar(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private void triggerAllAndTick() {
        Demo.SCHEDULES.forEach(client::trigger);
        poller.runOnce();
        while (workers.runOnce() > 0) {
            // run what was launched
        }
        clock.advance(Duration.ofSeconds(10));
    }

    @Test
    void a_quiet_vocabulary_skips_all_four_with_their_reasons() {
        triggerAllAndTick();
        assertThat(lastDecision("category_refresh")).isEqualTo("skipped: no llm_generated categories to integrate");
        assertThat(lastDecision("vocab_consolidation")).isEqualTo("skipped: inactive types are 7.5% of active, not above 20%");
        assertThat(lastDecision("epistemic_remeasurement")).isEqualTo("skipped: Delta (0) below threshold (10)");
        assertThat(lastDecision("ontology_annealing")).isEqualTo("skipped: epoch delta (0) below interval (5)");
        assertThat(scalar("SELECT count(*) FROM lamplighter.jobs")).isZero();
    }

    @Test
    void work_is_launched_done_and_then_skipped_again() {
        jdbi.useHandle(h -> h.execute("""
                INSERT INTO lamplighter_demo.vocab_types (name, status)
                SELECT 'NEW_' || i, 'llm_generated' FROM generate_series(1, 5) AS i;
                UPDATE lamplighter_demo.vocab_types SET status = 'inactive' WHERE name IN ('TYPE_1', 'TYPE_2', 'TYPE_3', 'TYPE_4', 'TYPE_5');
                UPDATE lamplighter_demo.epochs SET value = 5 WHERE name = 'ingestion'"""));

        triggerAllAndTick();

        assertThat(lastDecision("category_refresh")).isEqualTo("launched: 5 llm_generated categories to integrate");
        assertThat(lastDecision("vocab_consolidation")).startsWith("launched: inactive types are 22.9% of active");
        assertThat(lastDecision("epistemic_remeasurement")).isEqualTo("launched: Vocabulary change delta (10) >= threshold (10)");
        assertThat(lastDecision("ontology_annealing")).isEqualTo("launched: epoch delta (5) >= interval (5), claimed epoch 5");
        assertThat(scalar("SELECT count(*) FROM lamplighter.jobs WHERE status = 'completed'")).isEqualTo(4);
        assertThat(scalar("SELECT count(*) FROM lamplighter_demo.vocab_types WHERE status IN ('llm_generated', 'inactive')")).isZero();
        assertThat(scalar("SELECT count(*) FROM lamplighter_demo.annealing_proposals")).isEqualTo(2);

        triggerAllAndTick();
        assertThat(lastDecision("category_refresh")).startsWith("skipped");
        assertThat(lastDecision("vocab_consolidation")).startsWith("skipped");
        assertThat(lastDecision("ontology_annealing")).isEqualTo("skipped: epoch delta (0) below interval (5)");
        assertThat(lastDecision("epistemic_remeasurement"))
                .as("integrating 5 and consolidating 8 types changed the vocabulary 13 times since the measurement")
                .isEqualTo("launched: Vocabulary change delta (13) >= threshold (10)");

        triggerAllAndTick();
        assertThat(lastDecision("epistemic_remeasurement")).isEqualTo("skipped: Delta (0) below threshold (10)");
        String figures = jdbi.withHandle(h -> h.createQuery("""
                SELECT CAST(figures AS text) FROM lamplighter.decision_log
                WHERE schedule_name = 'epistemic_remeasurement' ORDER BY decision_id DESC LIMIT 1""").mapTo(String.class).one());
        assertThat(figures).contains("\"delta\": 0", "\"consumed\": ", "\"threshold\": 10");
    }
}
