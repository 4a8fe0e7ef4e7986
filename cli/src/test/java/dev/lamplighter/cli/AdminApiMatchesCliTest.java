package dev.lamplighter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lamplighter.admin.LamplighterAdmin;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The admin API's explain, doctor and drift give the same content as the CLI's {@code --json} for
 * the same database and clock: both run the same classes and statements.
 */
@Tag(TestClock.TAG)
class AdminApiMatchesCliTest {

    private static final String TOKEN = "test-token-0123456789abcdef0123456789abcdef";
    private static final String DECLARED = """
            {"launcher": "lamplighter.counter", "job_type": "remeasure", "schedule_cron": "0 * * * *", "interval_ms": null,
             "time_zone": "UTC", "params": {"counter": "changes", "threshold": 10}, "automation": "autonomous", "priority": 0,
             "max_attempts": 3, "max_retries": 5, "requires": [], "misfire_grace_ms": null}""";

    private final TestDatabase db = TestDatabase.get();
    private final MutableClock clock = TestClock.mutable();
    private final CliRun cli = new CliRun(db, clock);
    private LamplighterAdmin admin;

    @BeforeEach
    void setUp() {
        db.reset();
        Instant now = clock.instant();
        NodesCommandTest.node(db, "n1", now.minusSeconds(10), now.minusSeconds(10),
                new String[] {"lamplighter.counter", "lamplighter.epoch"}, new String[] {}, new String[] {"remeasure"});
        db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, next_run, params, declared)
                VALUES ('remeasure', 'lamplighter.counter', 'remeasure', '0 * * * *', :later,
                        '{"counter": "changes", "threshold": 3}', CAST(:declared AS jsonb));
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, next_run, params, automation)
                VALUES ('anneal', 'lamplighter.epoch', 'anneal', '0 * * * *', :now, '{"epoch": "ingestion", "interval": 2}', 'hitl');
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, next_run, enabled, retry_count,
                                                        last_error)
                VALUES ('billing', 'lamplighter.counter', 'billing', '0 * * * *', :now, false, 5, 'IllegalStateException: boom');
                INSERT INTO lamplighter.jobs (job_type, status, run_at, created_at) VALUES ('orphan', 'queued', :now, :now)""")
                .bind("now", now).bind("later", now.plus(Duration.ofMinutes(30))).bind("declared", DECLARED).execute());
        db.jdbi().useHandle(h -> h.execute("SELECT lamplighter.bump_counter('changes', 5)"));
        db.jdbi().useHandle(h -> h.execute("SELECT lamplighter.advance_epoch('ingestion', 3)"));
        admin = LamplighterAdmin.builder(db.database().dataSource()).token(TOKEN).port(0).clock(clock).start();
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    private JsonNode api(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + admin.port() + path)).header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }

    private JsonNode cliJson(String... args) throws Exception {
        cli.run(args);
        assertThat(cli.errLines()).isEmpty();
        return cli.json();
    }

    /** The explanation without its duration (the one field that is measured, not decided). */
    private static JsonNode decided(JsonNode explanation) {
        ObjectNode copy = explanation.deepCopy();
        assertThat(copy.remove("duration_ms")).isNotNull();
        return copy;
    }

    @Test
    void explain_doctor_and_drift_give_the_same_content_over_http_as_the_clis_json() throws Exception {
        for (String schedule : new String[] {"remeasure", "anneal", "billing"}) {
            JsonNode fromCli = cliJson("explain", schedule, "--json");
            JsonNode fromApi = api("/api/schedules/" + schedule + "/explain");
            assertThat(decided(fromApi)).as(schedule).isEqualTo(decided(fromCli));
        }

        JsonNode doctor = cliJson("doctor", "--json");
        assertThat(doctor.get("healthy").asBoolean()).as("billing and orphan need attention").isFalse();
        assertThat(api("/api/doctor")).isEqualTo(doctor);
        assertThat(api("/api/doctor?name=remeasure")).isEqualTo(cliJson("doctor", "remeasure", "--json"));
        assertThat(api("/api/doctor?conditions=false")).isEqualTo(cliJson("doctor", "--no-conditions", "--json"));

        JsonNode drift = cliJson("drift", "--json");
        assertThat(drift.size()).as(drift.toString()).isGreaterThanOrEqualTo(3);
        JsonNode fromApi = api("/api/drift");
        assertThat(fromApi.get("drift")).isEqualTo(drift);
        assertThat(fromApi.get("count").asInt()).isEqualTo(drift.size());
    }
}
