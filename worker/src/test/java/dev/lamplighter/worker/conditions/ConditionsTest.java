package dev.lamplighter.worker.conditions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.Decision;
import dev.lamplighter.JobHandler;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.conditions.Condition;
import dev.lamplighter.conditions.Conditions;
import dev.lamplighter.worker.internal.poll.PollerSettings;
import dev.lamplighter.worker.internal.poll.SchedulePoller;
import dev.lamplighter.worker.internal.queue.WorkerPool;
import dev.lamplighter.worker.internal.queue.WorkerSettings;
import dev.lamplighter.worker.testing.DirectLaunchContext;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(TestClock.TAG)
class ConditionsTest {

    private static final Instant START = TestClock.start();

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = new MutableClock(START);
    private final LamplighterClient client = LamplighterClient.create(db.database().dataSource(), clock);

    @BeforeEach
    void reset() {
        db.reset();
        // SQL conditions run as the condition role, which reads only what the team grants it.
        jdbi.useHandle(h -> h.execute("GRANT SELECT ON lamplighter.counters TO " + LaunchContext.DEFAULT_CONDITION_ROLE));
    }

    // ---- helpers ------------------------------------------------------------------------------

    private void schedule(String name, String launcher, String params) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, next_run, params, max_attempts)
                VALUES (:name, :launcher, :name, '0 * * * *', :now, CAST(:params AS jsonb), 1)""")
                .bind("name", name).bind("launcher", launcher).bind("now", START).bind("params", params).execute());
    }

    private SchedulePoller poller(Launcher... launchers) {
        Map<String, Launcher> byName = new HashMap<>();
        Conditions.builtInLaunchers().forEach(l -> byName.put(l.name(), l));
        for (Launcher l : launchers) {
            byName.put(l.name(), l);
        }
        return new SchedulePoller(jdbi, byName, new PollerSettings("n1", Duration.ofSeconds(60), Duration.ofMinutes(2), 91L, clock, 100));
    }

    private WorkerPool workers(String type, JobHandler.Work body) {
        JobHandler handler = JobHandler.of(type, body);
        return new WorkerPool(jdbi, Map.of(type, handler), new WorkerSettings("n1", 2, Duration.ofSeconds(1),
                Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofSeconds(5), clock));
    }

    /** Triggers the schedule and runs one tick. */
    private String check(SchedulePoller poller, String name) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE lamplighter.scheduled_jobs SET next_run = :now WHERE name = :name")
                .bind("now", clock.instant()).bind("name", name).execute());
        poller.runOnce();
        clock.advance(Duration.ofMinutes(1));
        return text("SELECT outcome || ': ' || reason FROM lamplighter.decision_log WHERE schedule_name = '" + name
                + "' ORDER BY decision_id DESC LIMIT 1");
    }

    private String text(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
    }

    private long number(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    // ---- change counter -----------------------------------------------------------------------

    @Test
    void change_counter_launches_at_the_threshold_and_is_consumed_only_when_its_job_succeeds() throws Exception {
        schedule("remeasure", "lamplighter.counter", "{\"counter\": \"vocab\", \"threshold\": 10}");
        SchedulePoller poller = poller();
        assertThat(check(poller, "remeasure")).isEqualTo("skipped: counter 'vocab' delta (0) below threshold (10)");
        client.bumpCounter("vocab", 9);
        assertThat(check(poller, "remeasure")).isEqualTo("skipped: counter 'vocab' delta (9) below threshold (10)");
        client.bumpCounter("vocab", 1);
        assertThat(check(poller, "remeasure")).isEqualTo("launched: counter 'vocab' delta (10) >= threshold (10)");
        assertThat(text("SELECT CAST(consumes AS text) FROM lamplighter.jobs")).isEqualTo("{\"vocab\": 10}");

        workers("remeasure", ctx -> {
            throw new IllegalStateException("measurement service down");
        }).runOnce();
        assertThat(text("SELECT status FROM lamplighter.jobs")).isEqualTo("failed");
        assertThat(number("SELECT consumed FROM lamplighter.counters WHERE name = 'vocab'")).as("nothing consumed").isZero();
        assertThat(check(poller, "remeasure")).as("the work is still pending")
                .isEqualTo("launched: counter 'vocab' delta (10) >= threshold (10)");

        workers("remeasure", ctx -> {
            client.bumpCounter("vocab", 3); // changes made while the job runs
            return Map.of("measured", true);
        }).runOnce();
        assertThat(number("SELECT consumed FROM lamplighter.counters WHERE name = 'vocab'")).isEqualTo(10);
        assertThat(number("SELECT value FROM lamplighter.counters WHERE name = 'vocab'")).isEqualTo(13);
        assertThat(check(poller, "remeasure")).as("changes made during the run are kept")
                .isEqualTo("skipped: counter 'vocab' delta (3) below threshold (10)");
        assertThat(text("SELECT CAST(figures AS text) FROM lamplighter.decision_log ORDER BY decision_id DESC LIMIT 1"))
                .isEqualTo("{\"delta\": 3, \"value\": 13, \"counter\": \"vocab\", \"consumed\": 10, \"threshold\": 10}");
    }

    @Test
    void bump_counter_refuses_a_count_below_one() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.bumpCounter("vocab", 0))
                .hasMessageContaining("bump_counter(vocab, 0): by = 0 is not allowed: expected 1 or more");
    }

    // ---- hysteresis ---------------------------------------------------------------------------

    @Test
    void hysteresis_does_not_thrash_and_its_state_survives_a_restart() {
        double[] ratios = {0.25, 0.15, 0.12, 0.09, 0.15, 0.21};
        int[] next = {0};
        Launcher first = Conditions.launcher("Consolidation",
                Conditions.hysteresis("inactive_ratio", ctx -> ratios[next[0]], 0.20, 0.10));
        schedule("consolidate", "Consolidation", "{}");
        List<String> outcomes = new ArrayList<>();
        SchedulePoller poller = poller(first);
        for (int i = 0; i < 3; i++) {
            next[0] = i;
            outcomes.add(check(poller, "consolidate"));
            completeAllJobs();
        }
        // A new node (or a restart): a fresh launcher instance reads the stored state.
        Launcher restarted = Conditions.launcher("Consolidation",
                Conditions.hysteresis("inactive_ratio", ctx -> ratios[next[0]], 0.20, 0.10));
        SchedulePoller otherNode = poller(restarted);
        for (int i = 3; i < ratios.length; i++) {
            next[0] = i;
            outcomes.add(check(otherNode, "consolidate"));
            completeAllJobs();
        }
        assertThat(outcomes).containsExactly(
                "launched: inactive_ratio 0.25 above high watermark 0.2",
                "launched: inactive_ratio 0.15 between watermarks 0.1 and 0.2, staying on",
                "launched: inactive_ratio 0.12 between watermarks 0.1 and 0.2, staying on",
                "skipped: inactive_ratio 0.09 below low watermark 0.1",
                "skipped: inactive_ratio 0.15 between watermarks 0.1 and 0.2, staying off",
                "launched: inactive_ratio 0.21 above high watermark 0.2");
        assertThat(number("SELECT count(*) FROM lamplighter.jobs")).isEqualTo(4);
    }

    private void completeAllJobs() {
        jdbi.useHandle(h -> h.execute("UPDATE lamplighter.jobs SET status = 'completed' WHERE status = 'queued'"));
    }

    @Test
    void hysteresis_keeps_its_state_between_the_watermarks() throws Exception {
        double[] ratios = {0.25, 0.15, 0.12, 0.09, 0.15, 0.21};
        List<String> outcomes = new ArrayList<>();
        for (double r : ratios) {
            Condition c = Conditions.hysteresis("inactive_ratio", ctx -> r, 0.20, 0.10);
            Decision d = jdbi.inTransaction(h -> c.evaluate(new DirectLaunchContext("consolidate", h.getConnection(), START)));
            outcomes.add((d.isLaunch() ? "launch: " : "skip: ") + d.reason());
        }
        assertThat(outcomes).containsExactly(
                "launch: inactive_ratio 0.25 above high watermark 0.2",
                "launch: inactive_ratio 0.15 between watermarks 0.1 and 0.2, staying on",
                "launch: inactive_ratio 0.12 between watermarks 0.1 and 0.2, staying on",
                "skip: inactive_ratio 0.09 below low watermark 0.1",
                "skip: inactive_ratio 0.15 between watermarks 0.1 and 0.2, staying off",
                "launch: inactive_ratio 0.21 above high watermark 0.2");
        assertThat(text("SELECT CAST(active AS text) || ' ' || CAST(last_value AS text) FROM lamplighter.hysteresis_state"))
                .isEqualTo("true 0.21");
    }

    // ---- epochs -------------------------------------------------------------------------------

    @Test
    void epoch_delta_launches_at_the_interval_and_claims_the_epoch() throws Exception {
        Condition c = Conditions.epochDelta("ingestion", 5);
        jdbi.useHandle(h -> h.execute("SELECT lamplighter.advance_epoch('ingestion', 4)"));
        Decision four = jdbi.inTransaction(h -> c.evaluate(new DirectLaunchContext("anneal", h.getConnection(), START)));
        assertThat(four.reason()).isEqualTo("epoch 'ingestion' delta (4) below interval (5)");
        client.advanceEpoch("ingestion");
        Decision five = jdbi.inTransaction(h -> c.evaluate(new DirectLaunchContext("anneal", h.getConnection(), START)));
        assertThat(five.isLaunch()).isTrue();
        assertThat(five.reason()).isEqualTo("epoch 'ingestion' delta (5) >= interval (5), claimed epoch 5");
        Decision again = jdbi.inTransaction(h -> c.evaluate(new DirectLaunchContext("anneal", h.getConnection(), START)));
        assertThat(again.reason()).isEqualTo("epoch 'ingestion' delta (0) below interval (5)");
    }

    @Test
    void three_triggers_racing_on_one_epoch_launch_once() throws Exception {
        jdbi.useHandle(h -> h.execute("SELECT lamplighter.advance_epoch('ingestion', 7)"));
        Condition c = Conditions.epochDelta("ingestion", 5);
        jdbi.useHandle(h -> h.execute(
                "INSERT INTO lamplighter.epoch_claims (schedule_name, epoch_name) VALUES ('anneal', 'ingestion')"));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Callable<Boolean> trigger = () -> {
                    go.await();
                    try (var h = jdbi.open()) {
                        return h.inTransaction(tx -> c.evaluate(new DirectLaunchContext("anneal", tx.getConnection(), START)).isLaunch());
                    }
                };
                results.add(pool.submit(trigger));
            }
            go.countDown();
            int launches = 0;
            for (Future<Boolean> f : results) {
                launches += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(launches).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(number("SELECT claimed FROM lamplighter.epoch_claims WHERE schedule_name = 'anneal'")).isEqualTo(7);
    }

    // ---- SQL conditions -----------------------------------------------------------------------

    @Test
    void sql_condition_launches_with_its_rows_and_skips_without_them() throws Exception {
        Condition rows = Conditions.sql("SELECT name, value FROM lamplighter.counters WHERE value > 2 ORDER BY name");
        Decision none = jdbi.inTransaction(h -> rows.evaluate(new DirectLaunchContext("s", h.getConnection(), START)));
        assertThat(none.isLaunch()).isFalse();
        assertThat(none.reason()).isEqualTo("SQL condition found no rows");
        client.bumpCounter("a", 3);
        client.bumpCounter("b", 5);
        Decision some = jdbi.inTransaction(h -> rows.evaluate(new DirectLaunchContext("s", h.getConnection(), START)));
        assertThat(some.reason()).isEqualTo("SQL condition found 2 rows");
        assertThat(some.payload()).containsEntry("row_count", 2)
                .containsEntry("rows", List.of(Map.of("name", "a", "value", 3L), Map.of("name", "b", "value", 5L)));

        Condition exists = Conditions.sql("SELECT EXISTS (SELECT 1 FROM lamplighter.counters WHERE value > 100)");
        assertThat(jdbi.inTransaction(h -> exists.evaluate(new DirectLaunchContext("s", h.getConnection(), START))).reason())
                .isEqualTo("SQL condition is false");
    }

    @Test
    void a_sql_condition_can_come_from_a_sql_file_on_the_classpath() throws Exception {
        Condition fromFile = Conditions.sqlFile("conditions/pending_counters.sql");
        client.bumpCounter("pending", 4);
        Decision d = jdbi.inTransaction(h -> fromFile.evaluate(new DirectLaunchContext("s", h.getConnection(), START)));
        assertThat(d.reason()).isEqualTo("SQL condition found 1 row");
        assertThat(d.payload()).containsEntry("rows", List.of(Map.of("name", "pending", "pending", 4L)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Conditions.sqlFile("conditions/missing.sql"))
                .hasMessage("sqlFile = \"conditions/missing.sql\" is not allowed: expected a .sql file on the classpath");
    }

    @Test
    void a_sql_condition_that_writes_or_runs_too_long_is_stopped_with_a_clear_error() {
        schedule("writer", "lamplighter.sql", "{\"query\": \"DELETE FROM lamplighter.counters RETURNING name\"}");
        schedule("sleeper", "lamplighter.sql", "{\"query\": \"SELECT pg_sleep(10)\", \"timeout_ms\": 200}");
        client.bumpCounter("kept", 1);
        SchedulePoller poller = poller();
        assertThat(check(poller, "writer")).contains("failed: SQLException: SQL condition failed: ERROR: cannot execute DELETE in a read-only transaction");
        assertThat(check(poller, "sleeper")).contains("failed: SQLException: SQL condition failed: ERROR: canceling statement due to statement timeout");
        assertThat(text("SELECT last_error FROM lamplighter.scheduled_jobs WHERE name = 'sleeper'"))
                .contains("statement timeout", "query: SELECT pg_sleep(10)");
        assertThat(number("SELECT count(*) FROM lamplighter.counters")).as("nothing was deleted").isEqualTo(1);
    }

    @Test
    void a_built_in_launcher_with_bad_params_names_the_field() {
        schedule("bad", "lamplighter.counter", "{\"threshold\": 10}");
        SchedulePoller poller = poller();
        poller.runOnce();
        assertThat(text("SELECT last_error FROM lamplighter.scheduled_jobs WHERE name = 'bad'"))
                .isEqualTo("params.counter is missing: expected a non-blank JSON string");
    }

    // ---- composition --------------------------------------------------------------------------

    @Test
    void all_skips_on_the_first_skip_and_undoes_what_earlier_parts_claimed() throws Exception {
        client.advanceEpoch("ingestion");
        Condition both = Conditions.all(Conditions.epochDelta("ingestion", 1),
                Conditions.sql("SELECT EXISTS (SELECT 1 FROM lamplighter.counters WHERE name = 'go')"));
        Decision skip = jdbi.inTransaction(h -> both.evaluate(new DirectLaunchContext("anneal", h.getConnection(), START)));
        assertThat(skip.isLaunch()).isFalse();
        assertThat(skip.reason()).isEqualTo("SQL condition is false");
        assertThat(skip.figures()).containsEntry("delta", 1L);
        assertThat(number("SELECT coalesce(max(claimed), 0) FROM lamplighter.epoch_claims")).as("claim undone").isZero();

        client.bumpCounter("go", 1);
        Decision launch = jdbi.inTransaction(h -> both.evaluate(new DirectLaunchContext("anneal", h.getConnection(), START)));
        assertThat(launch.reason()).isEqualTo("epoch 'ingestion' delta (1) >= interval (1), claimed epoch 1 and SQL condition is true");
        assertThat(number("SELECT claimed FROM lamplighter.epoch_claims")).isEqualTo(1);
    }

    @Test
    void any_launches_with_the_first_part_that_launches() throws Exception {
        client.bumpCounter("c", 2);
        Condition either = Conditions.any(Conditions.changeCounter("c", 5), Conditions.changeCounter("c", 2));
        Decision d = jdbi.inTransaction(h -> either.evaluate(new DirectLaunchContext("s", h.getConnection(), START)));
        assertThat(d.isLaunch()).isTrue();
        assertThat(d.reason()).isEqualTo("counter 'c' delta (2) >= threshold (2)");
        assertThat(d.consumes()).containsEntry("c", 2L);
        Condition neither = Conditions.any(Conditions.changeCounter("c", 5), Conditions.changeCounter("c", 3));
        assertThat(jdbi.inTransaction(h -> neither.evaluate(new DirectLaunchContext("s", h.getConnection(), START))).reason())
                .isEqualTo("counter 'c' delta (2) below threshold (5); counter 'c' delta (2) below threshold (3)");
    }

    // ---- human approval -----------------------------------------------------------------------

    @Test
    void hitl_jobs_wait_until_an_operator_approves_them() {
        schedule("anneal", "lamplighter.sql", "{\"query\": \"SELECT true\"}");
        jdbi.useHandle(h -> h.execute("UPDATE lamplighter.scheduled_jobs SET automation = 'hitl'"));
        SchedulePoller poller = poller();
        assertThat(check(poller, "anneal")).isEqualTo("launched: SQL condition is true");
        WorkerPool workers = workers("anneal", ctx -> Map.of("proposals", 2));
        assertThat(workers.runOnce()).as("not before approval").isZero();
        assertThat(check(poller, "anneal")).isEqualTo("skipped: previous job 1 is still awaiting_approval");

        jdbi.useHandle(h -> h.execute("UPDATE lamplighter.jobs SET status = 'queued' WHERE job_id = 1"));
        assertThat(workers.runOnce()).isEqualTo(1);
        assertThat(text("SELECT status FROM lamplighter.jobs WHERE job_id = 1")).isEqualTo("completed");

        assertThat(check(poller, "anneal")).isEqualTo("launched: SQL condition is true");
        jdbi.useHandle(h -> h.execute("UPDATE lamplighter.jobs SET status = 'rejected' WHERE job_id = 2"));
        assertThat(workers.runOnce()).isZero();
        assertThat(check(poller, "anneal")).as("a rejected job no longer blocks the schedule").isEqualTo("launched: SQL condition is true");
    }
}
