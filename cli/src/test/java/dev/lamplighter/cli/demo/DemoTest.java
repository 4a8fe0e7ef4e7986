package dev.lamplighter.cli.demo;

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
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The demo's four schedules, launchers and handlers, driven tick by tick on a mutable clock. */
@Tag(TestClock.TAG)
class DemoTest {

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = TestClock.mutable();
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
        assertThat(lastDecision("category_refresh")).isEqualTo("skipped: SQL condition found no rows");
        assertThat(lastDecision("vocab_consolidation")).isEqualTo("skipped: inactive_ratio 0.075 below low watermark 0.1");
        assertThat(lastDecision("epistemic_remeasurement")).isEqualTo("skipped: counter 'vocabulary_changes' delta (0) below threshold (10)");
        assertThat(lastDecision("ontology_annealing")).isEqualTo("skipped: epoch 'ingestion' delta (0) below interval (5)");
        assertThat(scalar("SELECT count(*) FROM lamplighter.jobs")).isZero();
    }

    @Test
    void work_is_launched_done_and_then_skipped_again() {
        jdbi.useHandle(h -> h.execute("""
                INSERT INTO lamplighter_demo.vocab_types (name, status)
                SELECT 'NEW_' || i, 'llm_generated' FROM generate_series(1, 5) AS i;
                UPDATE lamplighter_demo.vocab_types SET status = 'inactive' WHERE name IN ('TYPE_1', 'TYPE_2', 'TYPE_3', 'TYPE_4', 'TYPE_5');
                SELECT lamplighter.advance_epoch('ingestion', 5)"""));

        triggerAllAndTick();

        assertThat(lastDecision("category_refresh")).isEqualTo("launched: SQL condition found 5 rows");
        assertThat(lastDecision("vocab_consolidation")).isEqualTo("launched: inactive_ratio 0.2286 above high watermark 0.2");
        assertThat(lastDecision("epistemic_remeasurement")).isEqualTo("launched: counter 'vocabulary_changes' delta (10) >= threshold (10)");
        assertThat(lastDecision("ontology_annealing")).isEqualTo("launched: epoch 'ingestion' delta (5) >= interval (5), claimed epoch 5");
        assertThat(scalar("SELECT count(*) FROM lamplighter.jobs WHERE status = 'completed'")).isEqualTo(4);
        assertThat(scalar("SELECT count(*) FROM lamplighter_demo.vocab_types WHERE status IN ('llm_generated', 'inactive')")).isZero();
        assertThat(scalar("SELECT count(*) FROM lamplighter_demo.annealing_proposals")).isEqualTo(2);

        triggerAllAndTick();
        assertThat(lastDecision("category_refresh")).startsWith("skipped");
        assertThat(lastDecision("vocab_consolidation")).startsWith("skipped");
        assertThat(lastDecision("ontology_annealing")).isEqualTo("skipped: epoch 'ingestion' delta (0) below interval (5)");
        assertThat(lastDecision("epistemic_remeasurement"))
                .as("integrating 5 and consolidating 8 types changed the vocabulary 13 times since the measurement")
                .isEqualTo("launched: counter 'vocabulary_changes' delta (13) >= threshold (10)");

        triggerAllAndTick();
        assertThat(lastDecision("epistemic_remeasurement")).isEqualTo("skipped: counter 'vocabulary_changes' delta (0) below threshold (10)");
        String figures = jdbi.withHandle(h -> h.createQuery("""
                SELECT CAST(figures AS text) FROM lamplighter.decision_log
                WHERE schedule_name = 'epistemic_remeasurement' ORDER BY decision_id DESC LIMIT 1""").mapTo(String.class).one());
        assertThat(figures).contains("\"delta\": 0", "\"value\": 23", "\"consumed\": 23", "\"threshold\": 10");
    }

    @Test
    void the_seeds_annealing_options_statement_switches_annealing_to_hitl() {
        jdbi.useHandle(h -> h.execute("UPDATE lamplighter.annealing_options SET value = 'hitl' WHERE key = 'automation_level';"));
        jdbi.useHandle(h -> h.execute("SELECT lamplighter.advance_epoch('ingestion', 5)"));
        triggerAllAndTick();
        assertThat(lastDecision("ontology_annealing")).startsWith("launched");
        String status = jdbi.withHandle(h -> h.createQuery(
                "SELECT status FROM lamplighter.jobs WHERE schedule_name = 'ontology_annealing'").mapTo(String.class).one());
        assertThat(status).isEqualTo("awaiting_approval");
    }
}
