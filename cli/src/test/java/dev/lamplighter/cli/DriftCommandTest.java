package dev.lamplighter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** drift: what code declared versus what the table holds. */
@Tag(TestClock.TAG)
class DriftCommandTest {

    private static final String DECLARED = """
            {"launcher": "lamplighter.counter", "job_type": "remeasure", "schedule_cron": "0 * * * *", "interval_ms": null,
             "time_zone": "UTC", "params": {"counter": "changes", "threshold": 10}, "automation": "autonomous", "priority": 0,
             "max_attempts": 3, "max_retries": 5, "requires": [], "misfire_grace_ms": null}""";

    private final TestDatabase db = TestDatabase.get();
    private final MutableClock clock = TestClock.mutable();
    private final CliRun cli = new CliRun(db, clock);

    @BeforeEach
    void declared() {
        db.reset();
        Instant now = clock.instant();
        NodesCommandTest.node(db, "n1", now.minusSeconds(5), now.minusSeconds(5), new String[] {"lamplighter.counter"},
                new String[] {}, new String[] {"remeasure"});
        db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, params, declared, next_run)
                VALUES ('remeasure', 'lamplighter.counter', 'remeasure', '0 * * * *', '{"threshold": 10, "counter": "changes"}',
                        CAST(:declared AS jsonb), :now)""").bind("declared", DECLARED).bind("now", now).execute());
    }

    @Test
    void rows_as_code_declared_them_are_no_drift() {
        assertThat(cli.run("drift")).isZero();
        assertThat(cli.out()).contains("(0 rows)");
    }

    @Test
    void an_operators_change_a_row_written_by_sql_and_a_row_no_live_node_can_check_are_drift() throws Exception {
        db.jdbi().useHandle(h -> h.execute("""
                UPDATE lamplighter.scheduled_jobs SET schedule_cron = '*/5 * * * *',
                       params = '{"counter": "changes", "threshold": 3}' WHERE name = 'remeasure';
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_interval)
                VALUES ('adhoc', 'BillingLauncher', 'billing', interval '1 hour')"""));
        assertThat(cli.run("drift", "--json")).isEqualTo(1);
        JsonNode rows = cli.json();
        assertThat(rows.size()).isEqualTo(4);
        assertThat(rows.get(0).get("name").asText()).isEqualTo("adhoc");
        assertThat(rows.get(0).get("kind").asText()).isEqualTo("no_live_node");
        assertThat(rows.get(0).get("stored").asText()).isEqualTo("BillingLauncher");
        assertThat(rows.get(1).get("kind").asText()).isEqualTo("sql_only");
        JsonNode params = rows.get(2);
        assertThat(params.get("name").asText()).isEqualTo("remeasure");
        assertThat(params.get("column").asText()).isEqualTo("params");
        assertThat(params.get("declared").get("threshold").asInt()).isEqualTo(10);
        assertThat(params.get("stored").get("threshold").asInt()).isEqualTo(3);
        JsonNode cron = rows.get(3);
        assertThat(cron.get("column").asText()).isEqualTo("schedule_cron");
        assertThat(cron.get("declared").asText()).isEqualTo("0 * * * *");
        assertThat(cron.get("stored").asText()).isEqualTo("*/5 * * * *");
        assertThat(cron.get("meaning").asText()).isEqualTo("changed by SQL, kept across restarts");

        assertThat(cli.run("drift")).isEqualTo(1);
        assertThat(cli.out()).contains("schedule_cron", "\"0 * * * *\"", "\"*/5 * * * *\"", "(4 rows)");
    }

    @Test
    void drift_per_live_node_names_schedules_declared_but_missing_and_rows_no_live_node_declares() throws Exception {
        db.reset();
        java.util.function.BiFunction<String, String, dev.lamplighter.worker.Lamplighter> node = (id, schedule) ->
                dev.lamplighter.worker.Lamplighter.builder(db.database().dataSource())
                        .config(dev.lamplighter.worker.LamplighterConfig.builder().nodeId(id).migrate(false).clock(clock)
                                .schedulerEnabled(false).workerThreads(0).build())
                        .schedule(dev.lamplighter.Schedule.builder(schedule).cron("0 3 * * *").launcher("lamplighter.counter")
                                .jobType(schedule).params(java.util.Map.of("counter", "c", "threshold", 1)).build())
                        .build();
        db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, params, declared, next_run)
                VALUES ('retired', 'lamplighter.counter', 'remeasure', '0 * * * *', '{"threshold": 10, "counter": "changes"}',
                        CAST(:declared AS jsonb), :now)""").bind("declared", DECLARED).bind("now", clock.instant()).execute());
        try (dev.lamplighter.worker.Lamplighter a = node.apply("node-a", "alpha").start();
             dev.lamplighter.worker.Lamplighter b = node.apply("node-b", "beta").start()) {
            assertThat(cli.run("drift", "--json")).as(cli.out()).isEqualTo(1);
            JsonNode rows = cli.json();
            assertThat(rows.size()).as(rows.toString()).isEqualTo(1);
            assertThat(rows.get(0).get("name").asText()).isEqualTo("retired");
            assertThat(rows.get(0).get("kind").asText()).isEqualTo("not_declared");

            db.jdbi().useHandle(h -> h.execute("DELETE FROM lamplighter.scheduled_jobs WHERE name = 'beta'"));
            assertThat(cli.run("drift", "--json")).isEqualTo(1);
            rows = cli.json();
            assertThat(rows.size()).as(rows.toString()).isEqualTo(2);
            assertThat(rows.get(0).get("name").asText()).isEqualTo("beta");
            assertThat(rows.get(0).get("kind").asText()).isEqualTo("missing");
            assertThat(rows.get(0).get("nodes").toString()).isEqualTo("[\"node-b\"]");
            assertThat(rows.get(0).get("meaning").asText()).contains("declared on live node(s) [node-b] but missing in the table");
            assertThat(rows.get(1).get("name").asText()).isEqualTo("retired");

            assertThat(cli.run("nodes", "--json")).isZero();
            JsonNode nodes = cli.json();
            assertThat(nodes.findValuesAsText("node_id")).containsExactlyInAnyOrder("node-a", "node-b");
            for (JsonNode n : nodes) {
                assertThat(n.get("declared_schedules").toString())
                        .isEqualTo(n.get("node_id").asText().equals("node-a") ? "[\"alpha\"]" : "[\"beta\"]");
            }
        }
    }
}
