package dev.lamplighter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** explain: the launcher's decision now, in a transaction that is rolled back. */
@Tag(TestClock.TAG)
class ExplainCommandTest {

    private final TestDatabase db = TestDatabase.get();
    private final MutableClock clock = TestClock.mutable();
    private final CliRun cli = new CliRun(db, clock);

    @BeforeEach
    void reset() {
        db.reset();
    }

    private void schedule(String name, String launcher, String params, Instant nextRun, String automation) {
        db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, next_run, params, automation)
                VALUES (:name, :launcher, :name, '0 * * * *', :next, CAST(:params AS jsonb), :automation)""")
                .bind("name", name).bind("launcher", launcher).bind("params", params).bind("next", nextRun)
                .bind("automation", automation).execute());
    }

    /** Everything a real check would write: jobs, decisions, the schedule's row, the epoch claims. */
    private Map<String, Object> footprint() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT (SELECT count(*) FROM lamplighter.jobs) AS jobs,
                       (SELECT count(*) FROM lamplighter.decision_log) AS decisions,
                       (SELECT string_agg(name || '@' || next_run || '/' || coalesce(last_run::text, '-') || '/' || retry_count, ','
                               ORDER BY name) FROM lamplighter.scheduled_jobs) AS schedules,
                       (SELECT coalesce(string_agg(schedule_name || '=' || claimed, ','), '') FROM lamplighter.epoch_claims) AS claims
                """).mapToMap().one());
    }

    @Test
    void a_counter_over_its_threshold_would_launch_and_nothing_is_launched_or_recorded() throws Exception {
        schedule("remeasure", "lamplighter.counter", "{\"counter\": \"changes\", \"threshold\": 3}",
                clock.instant().plus(Duration.ofMinutes(30)), "autonomous");
        db.jdbi().useHandle(h -> h.execute("SELECT lamplighter.bump_counter('changes', 5)"));
        Map<String, Object> before = footprint();
        assertThat(cli.run("explain", "remeasure")).isZero();
        assertThat(cli.out()).contains("Schedule 'remeasure' (launcher lamplighter.counter, job type remeasure)",
                "decision:    launch", "figures:", "\"threshold\":3", "would:       enqueue a queued remeasure job",
                "rolled back: nothing was launched, claimed or recorded");
        assertThat(footprint()).isEqualTo(before);

        assertThat(cli.run("explain", "remeasure", "--json")).isZero();
        JsonNode json = cli.json();
        assertThat(json.get("outcome").asText()).isEqualTo("launch");
        assertThat(json.get("figures").get("delta").asLong()).isEqualTo(5);
        assertThat(json.get("trigger_source").asText()).as("not due: evaluated as a manual check now").isEqualTo("manual");
        assertThat(Instant.parse(json.get("evaluated_at").asText())).isEqualTo(clock.instant());
        assertThat(json.get("rolled_back").asBoolean()).isTrue();
        assertThat(footprint()).isEqualTo(before);
    }

    @Test
    void an_epoch_claim_is_rolled_back_and_a_skip_exits_0_with_its_reason() throws Exception {
        schedule("anneal", "lamplighter.epoch", "{\"epoch\": \"ingestion\", \"interval\": 2}", clock.instant(), "hitl");
        db.jdbi().useHandle(h -> h.execute("SELECT lamplighter.advance_epoch('ingestion', 3)"));
        Map<String, Object> before = footprint();
        assertThat(cli.run("explain", "anneal", "--json")).isZero();
        JsonNode json = cli.json();
        assertThat(json.get("outcome").asText()).isEqualTo("launch");
        assertThat(json.get("would").asText()).contains("awaiting approval");
        assertThat(json.get("trigger_source").asText()).isEqualTo("cron");
        assertThat(footprint()).as("the claim was rolled back").isEqualTo(before);
        assertThat(cli.run("explain", "anneal", "--json")).as("so it would launch again").isZero();
        assertThat(cli.json().get("outcome").asText()).isEqualTo("launch");

        schedule("quiet", "lamplighter.counter", "{\"counter\": \"none\", \"threshold\": 10}", clock.instant(), "autonomous");
        assertThat(cli.run("explain", "quiet")).isZero();
        assertThat(cli.out()).contains("decision:    skip", "below threshold");
    }

    @Test
    void an_unknown_launcher_or_a_failing_check_is_a_finding_with_exit_1_not_a_crash() throws Exception {
        schedule("app", "BillingLauncher", "{}", clock.instant(), "autonomous");
        assertThat(cli.run("explain", "app", "--json")).isEqualTo(1);
        JsonNode json = cli.json();
        assertThat(json.get("outcome").asText()).isEqualTo("unknown_launcher");
        assertThat(json.get("reason").asText()).contains("launcher 'BillingLauncher' is not on this CLI's classpath",
                "lamplighter.counter", "CategoryRefreshLauncher");
        assertThat(cli.errLines()).isEmpty();

        schedule("broken", "lamplighter.counter", "{\"threshold\": 3}", clock.instant(), "autonomous");
        Map<String, Object> before = footprint();
        assertThat(cli.run("explain", "broken")).isEqualTo(1);
        assertThat(cli.out()).contains("decision:    failed", "counter", "would:       fail: retry_count + 1");
        assertThat(footprint()).isEqualTo(before);

        assertThat(cli.run("explain", "nope")).isEqualTo(1);
        assertThat(cli.errLines()).containsExactly("lamplighter: no schedule named 'nope': expected one of [app, broken]");
    }

    @Test
    void a_schedule_whose_previous_job_is_active_would_skip_as_the_poll_loop_does() throws Exception {
        schedule("remeasure", "lamplighter.counter", "{\"counter\": \"changes\", \"threshold\": 1}", clock.instant(), "autonomous");
        db.jdbi().useHandle(h -> h.execute("SELECT lamplighter.bump_counter('changes', 5)"));
        long job = db.jdbi().withHandle(h -> h.createQuery("""
                INSERT INTO lamplighter.jobs (job_type, status, schedule_name, job_source, is_system_job)
                VALUES ('remeasure', 'queued', 'remeasure', 'scheduled_task', true) RETURNING job_id""").mapTo(Long.class).one());
        assertThat(cli.run("explain", "remeasure", "--json")).isZero();
        assertThat(cli.json().get("reason").asText()).isEqualTo("previous job " + job + " is still queued");
    }
}
