package dev.lamplighter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lamplighter.Decision;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import dev.lamplighter.Schedule;
import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/schedules/{name}/explain}, {@code GET /api/doctor}, {@code GET /api/drift}: the
 * CLI's explain, doctor and drift as JSON, field by field against a known set-up; an explanation
 * writes nothing.
 */
@Tag(TestClock.TAG)
class OpsApiTest {

    /** What code declared for 'remeasure' (the threshold is 10; the row says 3: an operator's change). */
    private static final String DECLARED = """
            {"launcher": "lamplighter.counter", "job_type": "remeasure", "schedule_cron": "0 * * * *", "interval_ms": null,
             "time_zone": "UTC", "params": {"counter": "changes", "threshold": 10}, "automation": "autonomous", "priority": 0,
             "max_attempts": 3, "max_retries": 5, "requires": ["llm"], "misfire_grace_ms": null}""";

    private AdminFixture f;

    @BeforeEach
    void start() {
        f = new AdminFixture();
        Instant now = f.now();
        node("n1", now.minusSeconds(10), new String[] {"lamplighter.counter", "lamplighter.epoch"}, new String[] {"llm"},
                new String[] {"remeasure", "anneal"});
        f.db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, next_run, params, requires, declared)
                VALUES ('remeasure', 'lamplighter.counter', 'remeasure', '0 * * * *', :next,
                        '{"counter": "changes", "threshold": 3}', '{llm}', CAST(:declared AS jsonb))""")
                .bind("next", now.plus(Duration.ofMinutes(30))).bind("declared", DECLARED).execute());
        f.db.jdbi().useHandle(h -> h.execute("SELECT lamplighter.bump_counter('changes', 5)"));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private void node(String id, Instant seen, String[] launchers, String[] caps, String[] types) {
        f.db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.nodes (node_id, hostname, pid, version, started_at, last_seen_at, last_led_tick_at,
                                               launchers, capabilities, job_types)
                VALUES (:id, 'host', 42, '0.2.0', :seen, :seen, :seen, :launchers, :caps, :types)""")
                .bind("id", id).bind("seen", seen).bind("launchers", launchers).bind("caps", caps).bind("types", types)
                .execute());
    }

    /** Every table a real check writes: jobs, decisions, schedules, counters, epochs and their claims. */
    private Map<String, Object> footprint() {
        return f.db.jdbi().withHandle(h -> h.createQuery("""
                SELECT (SELECT coalesce(string_agg(t::text, ';' ORDER BY t::text), '') FROM lamplighter.jobs t) AS jobs,
                       (SELECT count(*) FROM lamplighter.decision_log) AS decisions,
                       (SELECT string_agg(t::text, ';' ORDER BY t::text) FROM lamplighter.scheduled_jobs t) AS schedules,
                       (SELECT coalesce(string_agg(t::text, ';' ORDER BY t::text), '') FROM lamplighter.counters t) AS counters,
                       (SELECT coalesce(string_agg(t::text, ';' ORDER BY t::text), '') FROM lamplighter.epochs t) AS epochs,
                       (SELECT coalesce(string_agg(t::text, ';' ORDER BY t::text), '') FROM lamplighter.epoch_claims t) AS claims
                """).mapToMap().one());
    }

    @Test
    void explain_gives_the_decision_and_its_figures_and_nothing_is_launched_claimed_or_recorded() {
        Map<String, Object> before = footprint();
        AdminFixture.Response r = f.getAuth("/api/schedules/remeasure/explain");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode e = r.json();
        assertThat(e.get("schedule").asText()).isEqualTo("remeasure");
        assertThat(e.get("launcher").asText()).isEqualTo("lamplighter.counter");
        assertThat(e.get("job_type").asText()).isEqualTo("remeasure");
        assertThat(e.get("enabled").asBoolean()).isTrue();
        assertThat(e.get("evaluated_at").asText()).isEqualTo(f.now().toString());
        assertThat(e.get("next_run").asText()).isEqualTo(f.now().plus(Duration.ofMinutes(30)).toString());
        assertThat(e.get("slot").asText()).as("not due: evaluated as a manual check now").isEqualTo(f.now().toString());
        assertThat(e.get("trigger_source").asText()).isEqualTo("manual");
        assertThat(e.get("automation").asText()).isEqualTo("autonomous");
        assertThat(e.get("outcome").asText()).isEqualTo("launch");
        assertThat(e.get("reason").asText()).isEqualTo("counter 'changes' delta (5) >= threshold (3)");
        assertThat(e.get("figures").get("counter").asText()).isEqualTo("changes");
        assertThat(e.get("figures").get("delta").asLong()).isEqualTo(5);
        assertThat(e.get("figures").get("threshold").asLong()).isEqualTo(3);
        assertThat(e.get("would").asText()).isEqualTo("enqueue a queued remeasure job");
        assertThat(e.get("rolled_back").asBoolean()).isTrue();
        assertThat(e.get("duration_ms").isNumber()).isTrue();
        assertThat(e.has("next_check")).isTrue();
        assertThat(footprint()).isEqualTo(before);
    }

    @Test
    void explain_of_a_due_epoch_schedule_rolls_its_claim_back() {
        f.db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, next_run, params, automation)
                VALUES ('anneal', 'lamplighter.epoch', 'anneal', '0 * * * *', :now,
                        '{"epoch": "ingestion", "interval": 2}', 'hitl')""").bind("now", f.now()).execute());
        f.db.jdbi().useHandle(h -> h.execute("SELECT lamplighter.advance_epoch('ingestion', 3)"));
        Map<String, Object> before = footprint();
        JsonNode e = f.getAuth("/api/schedules/anneal/explain").json();
        assertThat(e.get("outcome").asText()).isEqualTo("launch");
        assertThat(e.get("trigger_source").asText()).isEqualTo("cron");
        assertThat(e.get("would").asText()).isEqualTo("enqueue a anneal job awaiting approval (automation = hitl)");
        assertThat(footprint()).as("the epoch claim was rolled back").isEqualTo(before);
    }

    @Test
    void explain_answers_401_without_token_404_for_an_unknown_schedule_and_409_naming_a_launcher_it_cannot_find() {
        AdminFixture.Response none = f.get("/api/schedules/remeasure/explain");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("error").asText()).isEqualTo("unauthorized");

        AdminFixture.Response missing = f.getAuth("/api/schedules/remeasur/explain");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("message").asText()).isEqualTo("no schedule named 'remeasur': expected one of [remeasure]");
        assertThat(missing.json().get("field").asText()).isEqualTo("name");
        assertThat(missing.json().get("value").asText()).isEqualTo("remeasur");

        f.schedule("billing", true);   // launcher TestLauncher: on no classpath
        Map<String, Object> before = footprint();
        AdminFixture.Response conflict = f.getAuth("/api/schedules/billing/explain");
        assertThat(conflict.status()).as(conflict.body()).isEqualTo(409);
        JsonNode c = conflict.json();
        assertThat(c.get("error").asText()).isEqualTo("conflict");
        assertThat(c.get("field").asText()).isEqualTo("launcher");
        assertThat(c.get("value").asText()).isEqualTo("TestLauncher");
        assertThat(c.get("message").asText()).startsWith("schedule 'billing' has launcher 'TestLauncher', which is not on "
                + "the admin server's classpath: nothing was evaluated;");
        assertThat(c.get("allowed").toString()).contains("lamplighter.counter");
        assertThat(footprint()).isEqualTo(before);

        assertThat(f.getAuth("/api/schedules/remeasure/explain?now=1").status()).isEqualTo(400);
    }

    /** A launcher only the embedded node has (no ServiceLoader file names it). */
    static final class NodeOnlyLauncher implements Launcher {
        @Override
        public String name() {
            return "NodeOnlyLauncher";
        }

        @Override
        public Decision checkConditions(LaunchContext ctx) {
            return Decision.skip("only the node knows me").withFigure("node_only", true);
        }
    }

    @Test
    void explain_runs_the_embedded_nodes_launchers() {
        LamplighterConfig config = LamplighterConfig.builder().nodeId("embedded").migrate(false).clock(f.clock)
                .schedulerEnabled(false).workerThreads(0).build();
        try (Lamplighter node = Lamplighter.builder(f.dataSource()).config(config)
                .schedule(Schedule.builder("private").cron("0 3 * * *").launcher(new NodeOnlyLauncher()).jobType("private").build())
                .start();
             LamplighterAdmin withNode = LamplighterAdmin.builder(f.dataSource()).token(AdminFixture.TOKEN).port(0).clock(f.clock)
                     .node(node).start()) {
            assertThat(f.getAuth("/api/schedules/private/explain").status()).as("the server without the node cannot find it")
                    .isEqualTo(409);
            JsonNode e = get(withNode, "/api/schedules/private/explain");
            assertThat(e.get("outcome").asText()).isEqualTo("skip");
            assertThat(e.get("reason").asText()).isEqualTo("only the node knows me");
            assertThat(e.get("figures").get("node_only").asBoolean()).isTrue();
            assertThat(e.get("would").asText()).isEqualTo("skip: no job");
        }
    }

    private static JsonNode get(LamplighterAdmin admin, String path) {
        try {
            var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + admin.port() + path))
                    .header("Authorization", "Bearer " + AdminFixture.TOKEN).timeout(Duration.ofSeconds(20)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> checks(JsonNode doctor, String severity) {
        List<String> found = new ArrayList<>();
        doctor.get("findings").forEach(x -> {
            if (x.get("severity").asText().equals(severity)) {
                found.add((x.get("schedule").isNull() ? "" : x.get("schedule").asText() + ":") + x.get("check").asText());
            }
        });
        return found;
    }

    private static JsonNode finding(JsonNode doctor, String schedule, String check) {
        for (JsonNode x : doctor.get("findings")) {
            if (x.get("check").asText().equals(check) && (schedule == null ? x.get("schedule").isNull()
                    : schedule.equals(x.get("schedule").asText()))) {
                return x;
            }
        }
        throw new AssertionError("no finding " + schedule + ":" + check + " in " + doctor);
    }

    @Test
    void doctor_gives_each_finding_with_what_to_do_and_200_healthy_or_not() {
        AdminFixture.Response ok = f.getAuth("/api/doctor");
        assertThat(ok.status()).isEqualTo(200);
        JsonNode healthy = ok.json();
        assertThat(healthy.get("healthy").asBoolean()).isTrue();
        assertThat(healthy.get("attention").asInt()).isZero();
        JsonNode loop = finding(healthy, null, "poll_loop");
        assertThat(loop.get("severity").asText()).isEqualTo("ok");
        assertThat(loop.get("schedule").isNull()).isTrue();
        assertThat(loop.get("message").asText()).isEqualTo("poll loop alive: node n1 led a tick 10s ago (1 live node(s))");
        assertThat(loop.get("action").isNull()).isTrue();
        assertThat(finding(healthy, "remeasure", "next_run").get("message").asText())
                .isEqualTo("next check in 30min (" + f.now().plus(Duration.ofMinutes(30)) + ")");
        assertThat(finding(healthy, "remeasure", "conditions").get("message").asText())
                .isEqualTo("conditions met now: would launch (counter 'changes' delta (5) >= threshold (3))");
        assertThat(finding(healthy, "remeasure", "launcher").get("message").asText())
                .isEqualTo("launcher lamplighter.counter on live node(s) [n1]");
        assertThat(finding(healthy, "remeasure", "handler").get("message").asText())
                .isEqualTo("handler for job type remeasure on live node(s) [n1]");

        // Broken: a schedule that disabled itself, and a queued job no live node handles.
        f.db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, next_run, enabled, retry_count,
                                                        max_retries, last_error)
                VALUES ('billing', 'lamplighter.counter', 'remeasure', '0 * * * *', :now, false, 5, 5, 'IllegalStateException: boom');
                INSERT INTO lamplighter.jobs (job_type, status, run_at, created_at) VALUES ('orphan', 'queued', :now, :now)""")
                .bind("now", f.now()).execute());
        Map<String, Object> before = footprint();
        AdminFixture.Response broken = f.getAuth("/api/doctor?conditions=false");
        assertThat(broken.status()).as("the findings are the answer").isEqualTo(200);
        JsonNode sick = broken.json();
        assertThat(sick.get("healthy").asBoolean()).isFalse();
        assertThat(sick.get("attention").asInt()).isEqualTo(2);
        assertThat(checks(sick, "attention")).containsExactlyInAnyOrder("billing:enabled", "unhandled_jobs");
        assertThat(checks(sick, "ok")).as("conditions=false evaluates no launcher").doesNotContain("remeasure:conditions");
        JsonNode disabled = finding(sick, "billing", "enabled");
        assertThat(disabled.get("message").asText())
                .isEqualTo("disabled after 5 consecutive failures (max_retries 5), last error: IllegalStateException: boom");
        assertThat(disabled.get("action").asText()).isEqualTo("fix the cause, then: lamplighter enable billing");
        assertThat(finding(sick, null, "unhandled_jobs").get("message").asText()).startsWith("1 queued job(s) of type 'orphan'");
        assertThat(footprint()).isEqualTo(before);

        JsonNode one = f.getAuth("/api/doctor?name=remeasure").json();
        assertThat(one.get("healthy").asBoolean()).as("only remeasure and the cluster; orphan is not its job type").isTrue();
        assertThat(checks(one, "ok")).contains("poll_loop", "remeasure:conditions").noneMatch(c -> c.startsWith("billing:"));
    }

    @Test
    void doctor_answers_401_without_token_404_for_an_unknown_schedule_and_400_for_a_bad_parameter() {
        assertThat(f.get("/api/doctor").status()).isEqualTo(401);
        AdminFixture.Response missing = f.getAuth("/api/doctor?name=nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("message").asText()).isEqualTo("no schedule named 'nope': expected one of [remeasure]");
        AdminFixture.Response bad = f.getAuth("/api/doctor?conditions=maybe");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("conditions");
        assertThat(bad.json().get("message").asText()).isEqualTo("conditions = 'maybe' is not allowed: expected true (evaluate "
                + "each launcher, the default) or false (read the tables only, as --no-conditions)");
        assertThat(f.getAuth("/api/doctor?schedule=remeasure").status()).isEqualTo(400);
    }

    @Test
    void drift_gives_the_declared_and_the_stored_value_of_each_change_and_each_row_no_live_node_can_check() {
        AdminFixture.Response none = f.get("/api/drift");
        assertThat(none.status()).isEqualTo(401);

        f.db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_interval)
                VALUES ('adhoc', 'BillingLauncher', 'billing', interval '1 hour')"""));
        AdminFixture.Response r = f.getAuth("/api/drift");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("count").asInt()).isEqualTo(3);
        JsonNode rows = body.get("drift");
        assertThat(rows.get(0).get("name").asText()).isEqualTo("adhoc");
        assertThat(rows.get(0).get("kind").asText()).isEqualTo("no_live_node");
        assertThat(rows.get(0).get("stored").asText()).isEqualTo("BillingLauncher");
        assertThat(rows.get(0).get("meaning").asText()).isEqualTo("no live node has its launcher");
        assertThat(rows.get(1).get("name").asText()).isEqualTo("adhoc");
        assertThat(rows.get(1).get("kind").asText()).isEqualTo("sql_only");
        assertThat(rows.get(1).get("meaning").asText()).isEqualTo("written by SQL, no code declared it");
        JsonNode params = rows.get(2);
        assertThat(params.get("name").asText()).isEqualTo("remeasure");
        assertThat(params.get("kind").asText()).isEqualTo("changed");
        assertThat(params.get("column").asText()).isEqualTo("params");
        assertThat(params.get("declared").get("threshold").asInt()).as("JSON, not text").isEqualTo(10);
        assertThat(params.get("stored").get("threshold").asInt()).isEqualTo(3);
        assertThat(params.get("nodes").isArray()).isTrue();
        assertThat(params.get("meaning").asText()).isEqualTo("changed by SQL, kept across restarts");
        assertThat(f.getAuth("/api/drift?kind=changed").status()).isEqualTo(400);
    }
}
