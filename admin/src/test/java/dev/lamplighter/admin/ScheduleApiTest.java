package dev.lamplighter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lamplighter.worker.testing.TestClock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(TestClock.TAG)
class ScheduleApiTest {

    private AdminFixture f;

    @BeforeEach
    void start() {
        f = new AdminFixture();
        f.schedule("nightly", true);
        f.schedule("paused", false);
        f.db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.decision_log (schedule_name, slot, decided_at, outcome, reason, figures)
                VALUES ('nightly', CAST(:now AS timestamptz), CAST(:now AS timestamptz), 'skipped',
                        'delta (5) below threshold (10)', '{"delta": 5}')""").bind("now", f.now()).execute());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private Map<String, Object> row(String name) {
        return f.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT enabled, next_run, retry_count, pending_trigger FROM lamplighter.scheduled_jobs WHERE name = :n")
                .bind("n", name).mapToMap().one());
    }

    private Map<String, Object> lastAudit() {
        return f.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT actor, action, target, CAST(detail AS text) AS detail, remote_address, at FROM lamplighter.admin_audit ORDER BY id DESC LIMIT 1")
                .mapToMap().one());
    }

    @Test
    void lists_every_schedule_with_the_columns_of_the_status_command() {
        AdminFixture.Response r = f.getAuth("/api/schedules");
        assertThat(r.status()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("count").asInt()).isEqualTo(2);
        JsonNode first = body.get("schedules").get(0);
        assertThat(first.get("name").asText()).isEqualTo("nightly");
        assertThat(iterable(first.fieldNames())).containsExactly("name", "schedule", "time_zone", "enabled", "last_run",
                "last_success", "next_run", "last_outcome", "retry_count", "max_retries", "launcher", "launcher_registered",
                "active_jobs", "last_error");
        assertThat(first.get("schedule").asText()).isEqualTo("0 0 1 1 *");
        assertThat(Instant.parse(first.get("next_run").asText())).isAfter(f.now());
    }

    private static java.util.List<String> iterable(java.util.Iterator<String> it) {
        java.util.List<String> l = new java.util.ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }

    @Test
    void one_schedule_comes_with_its_recent_decisions_and_their_figures_as_json() {
        JsonNode body = f.getAuth("/api/schedules/nightly?decisions=5").json();
        assertThat(body.get("name").asText()).isEqualTo("nightly");
        assertThat(body.get("decisions")).hasSize(1);
        JsonNode d = body.get("decisions").get(0);
        assertThat(d.get("outcome").asText()).isEqualTo("skipped");
        assertThat(d.get("figures").get("delta").asInt()).isEqualTo(5);
        assertThat(Instant.parse(d.get("decided_at").asText())).isEqualTo(f.now());
    }

    @Test
    void an_unknown_schedule_is_404_naming_it_and_the_known_ones() {
        for (String path : new String[] {"/api/schedules/nope"}) {
            AdminFixture.Response r = f.getAuth(path);
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.json().get("message").asText()).isEqualTo("no schedule named 'nope': expected one of [nightly, paused]");
            assertThat(r.json().get("value").asText()).isEqualTo("nope");
        }
        for (String action : new String[] {"trigger", "enable", "disable"}) {
            AdminFixture.Response r = f.postAuth("/api/schedules/nope/" + action, "");
            assertThat(r.status()).as(action).isEqualTo(404);
            assertThat(r.json().get("error").asText()).isEqualTo("not_found");
        }
        assertThat(f.count("admin_audit")).isZero();
    }

    @Test
    void bad_names_parameters_actors_and_bodies_are_400_naming_the_field_and_nothing_is_written() {
        Map<String, Object> before = row("nightly");
        AdminFixture.Response badName = f.postAuth("/api/schedules/-x/disable", "");
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.json().get("field").asText()).isEqualTo("name");
        assertThat(badName.json().get("value").asText()).isEqualTo("-x");
        assertThat(badName.json().get("allowed").asText()).contains("letter or digit");

        AdminFixture.Response badLimit = f.getAuth("/api/schedules/nightly?decisions=0");
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.json().get("message").asText())
                .isEqualTo("decisions = '0' is not allowed: expected a whole number from 1 to 100 (default 20)");

        AdminFixture.Response unknownParam = f.getAuth("/api/schedules?sort=name");
        assertThat(unknownParam.status()).isEqualTo(400);
        assertThat(unknownParam.json().get("field").asText()).isEqualTo("query parameter sort");

        AdminFixture.Response badActor = f.postAuth("/api/schedules/nightly/disable", "", "X-Actor", "robert'); drop");
        assertThat(badActor.status()).isEqualTo(400);
        assertThat(badActor.json().get("field").asText()).isEqualTo("X-Actor");

        AdminFixture.Response big = f.postAuth("/api/schedules/nightly/disable", "{\"reason\": \"" + "x".repeat(5000) + "\"}");
        assertThat(big.status()).isEqualTo(400);
        assertThat(big.json().get("field").asText()).isEqualTo("body");
        assertThat(big.json().get("message").asText()).isEqualTo("body = '5014 bytes' is not allowed: expected at most 4096 bytes");

        AdminFixture.Response notJson = f.postAuth("/api/schedules/nightly/disable", "please");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("field").asText()).isEqualTo("body");

        AdminFixture.Response extraField = f.postAuth("/api/schedules/nightly/disable", "{\"enabled\": true}");
        assertThat(extraField.status()).isEqualTo(400);
        assertThat(extraField.json().get("field").asText()).isEqualTo("body.enabled");

        AdminFixture.Response longReason = f.postAuth("/api/schedules/nightly/disable", "{\"reason\": \"" + "x".repeat(501) + "\"}");
        assertThat(longReason.status()).isEqualTo(400);
        assertThat(longReason.json().get("field").asText()).isEqualTo("body.reason");

        assertThat(row("nightly")).isEqualTo(before);
        assertThat(f.count("admin_audit")).isZero();
    }

    @Test
    void disable_and_enable_write_the_change_and_its_audit_row() {
        f.db.jdbi().useHandle(h -> h.execute("UPDATE lamplighter.scheduled_jobs SET retry_count = 3 WHERE name = 'nightly'"));
        AdminFixture.Response off = f.postAuth("/api/schedules/nightly/disable", "{\"reason\": \"noisy\"}", "X-Actor", "alice");
        assertThat(off.status()).isEqualTo(200);
        assertThat(off.json().get("schedule").get("enabled").asBoolean()).isFalse();
        assertThat(off.json().get("actor").asText()).isEqualTo("alice");
        assertThat(row("nightly").get("enabled")).isEqualTo(false);
        Map<String, Object> audit = lastAudit();
        assertThat(audit).containsEntry("actor", "alice").containsEntry("action", "schedule.disable")
                .containsEntry("target", "schedule:nightly").containsEntry("remote_address", "127.0.0.1");
        assertThat((String) audit.get("detail")).contains("\"reason\": \"noisy\"").contains("\"enabled\": true");
        assertThat(((java.time.OffsetDateTime) f.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT at FROM lamplighter.admin_audit ORDER BY id DESC LIMIT 1").mapTo(java.time.OffsetDateTime.class).one()))
                .toInstant()).isEqualTo(f.now());
        assertThat(off.json().get("audit_id").asLong()).isPositive();

        AdminFixture.Response on = f.postAuth("/api/schedules/nightly/enable", "");
        assertThat(on.status()).isEqualTo(200);
        assertThat(row("nightly")).containsEntry("enabled", true).containsEntry("retry_count", 0);
        assertThat(lastAudit()).containsEntry("actor", "token").containsEntry("action", "schedule.enable");
        assertThat(f.count("admin_audit")).isEqualTo(2);
    }

    @Test
    void trigger_makes_the_schedule_due_now_on_the_clock_as_a_manual_trigger() {
        AdminFixture.Response r = f.postAuth("/api/schedules/nightly/trigger", "", "X-Actor", "bob");
        assertThat(r.status()).isEqualTo(200);
        Map<String, Object> after = row("nightly");
        assertThat(((java.sql.Timestamp) after.get("next_run")).toInstant()).isEqualTo(f.now());
        assertThat(after.get("pending_trigger")).isEqualTo("manual");
        assertThat(lastAudit()).containsEntry("action", "schedule.trigger").containsEntry("actor", "bob");
    }

    @Test
    void a_disabled_schedule_is_not_triggered_409_and_nothing_is_written() {
        Map<String, Object> before = row("paused");
        AdminFixture.Response r = f.postAuth("/api/schedules/paused/trigger", "");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("message").asText()).startsWith("schedule 'paused' is disabled");
        assertThat(row("paused")).isEqualTo(before);
        assertThat(f.count("admin_audit")).isZero();
    }

    @Test
    void the_change_and_its_audit_row_commit_together_or_not_at_all() {
        // The audit row cannot be written: the change must not stay either.
        f.db.jdbi().useHandle(h -> h.execute(
                "ALTER TABLE lamplighter.admin_audit ADD CONSTRAINT test_refuses_every_row CHECK (actor = 'nobody') NOT VALID"));
        try {
            AdminFixture.Response r = f.postAuth("/api/schedules/nightly/disable", "");
            assertThat(r.status()).isEqualTo(500);
            assertThat(row("nightly").get("enabled")).isEqualTo(true);
            assertThat(f.count("admin_audit")).isZero();
        } finally {
            f.db.jdbi().useHandle(h -> h.execute("ALTER TABLE lamplighter.admin_audit DROP CONSTRAINT test_refuses_every_row"));
        }
    }
}
