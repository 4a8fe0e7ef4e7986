package dev.lamplighter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lamplighter.worker.testing.TestClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(TestClock.TAG)
class JobApiTest {

    private AdminFixture f;

    @BeforeEach
    void start() {
        f = new AdminFixture();
        f.schedule("nightly", true);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private Map<String, Object> job(long id) {
        return f.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT status, attempts, run_at, completed_at, last_error FROM lamplighter.jobs WHERE job_id = :id")
                .bind("id", id).mapToMap().one());
    }

    private static List<Long> ids(JsonNode body) {
        List<Long> ids = new ArrayList<>();
        body.get("jobs").forEach(j -> ids.add(j.get("job_id").asLong()));
        return ids;
    }

    @Test
    void lists_jobs_newest_first_with_filters_and_pages_by_job_id() {
        long a = f.job("index", "completed", "nightly");
        long b = f.job("index", "failed", "nightly");
        long c = f.job("report", "queued", null);
        long d = f.job("index", "queued", null);

        assertThat(ids(f.getAuth("/api/jobs").json())).containsExactly(d, c, b, a);
        assertThat(ids(f.getAuth("/api/jobs?status=queued").json())).containsExactly(d, c);
        assertThat(ids(f.getAuth("/api/jobs?schedule=nightly").json())).containsExactly(b, a);
        assertThat(ids(f.getAuth("/api/jobs?type=index&status=failed").json())).containsExactly(b);

        JsonNode page1 = f.getAuth("/api/jobs?limit=3").json();
        assertThat(ids(page1)).containsExactly(d, c, b);
        assertThat(page1.get("next_before").asLong()).isEqualTo(b);
        JsonNode page2 = f.getAuth("/api/jobs?limit=3&before=" + b).json();
        assertThat(ids(page2)).containsExactly(a);
        assertThat(page2.get("next_before").isNull()).isTrue();

        AdminFixture.Response unknown = f.getAuth("/api/jobs?schedule=nightlly");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("field").asText()).isEqualTo("schedule");
        assertThat(unknown.json().get("message").asText()).isEqualTo("no schedule named 'nightlly': expected one of [nightly]");

        JsonNode first = page2.get("jobs").get(0);
        assertThat(first.get("status").asText()).isEqualTo("completed");
        assertThat(Instant.parse(first.get("created_at").asText())).isEqualTo(f.now());
        assertThat(first.has("payload")).isFalse();
    }

    @Test
    void bad_list_parameters_are_400_naming_the_field_the_value_and_what_is_allowed() {
        record Case(String query, String field, String message) {
        }
        List<Case> cases = List.of(
                new Case("status=done", "status", "status = 'done' is not allowed: expected one of [awaiting_approval, queued, "
                        + "running, completed, failed, cancelled, rejected]"),
                new Case("limit=0", "limit", "limit = '0' is not allowed: expected a whole number from 1 to 1000 (default 100)"),
                new Case("limit=1001", "limit", null),
                new Case("limit=ten", "limit", null),
                new Case("before=-3", "before", null),
                new Case("before=abc", "before", null),
                new Case("schedule=no%20spaces", "schedule", null),
                new Case("statuss=queued", "query parameter statuss", null),
                new Case("status=queued&status=failed", "status", null));
        for (Case c : cases) {
            AdminFixture.Response r = f.getAuth("/api/jobs?" + c.query());
            assertThat(r.status()).as(c.query()).isEqualTo(400);
            assertThat(r.json().get("field").asText()).as(c.query()).isEqualTo(c.field());
            if (c.message() != null) {
                assertThat(r.json().get("message").asText()).isEqualTo(c.message());
            }
        }
    }

    @Test
    void one_job_comes_with_its_payload_and_an_unknown_or_malformed_id_is_refused() {
        long id = f.job("index", "queued", null);
        JsonNode job = f.getAuth("/api/jobs/" + id).json();
        assertThat(job.get("job_id").asLong()).isEqualTo(id);
        assertThat(job.get("payload").isObject()).isTrue();

        AdminFixture.Response missing = f.getAuth("/api/jobs/999999");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("message").asText()).startsWith("no job with job_id 999999");
        for (String bad : new String[] {"abc", "0", "-1", "1.5", "99999999999999999999"}) {
            AdminFixture.Response r = f.getAuth("/api/jobs/" + bad);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.json().get("field").asText()).isEqualTo("id");
            assertThat(r.json().get("value").asText()).isEqualTo(bad);
        }
    }

    @Test
    void approve_queues_a_job_that_awaits_approval_with_its_audit_row() {
        long id = f.job("index", "awaiting_approval", "nightly");
        AdminFixture.Response r = f.postAuth("/api/jobs/" + id + "/approve", "{\"reason\": \"looked fine\"}", "X-Actor", "carol");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("job").get("status").asText()).isEqualTo("queued");
        assertThat(job(id).get("status")).isEqualTo("queued");
        assertAudit("carol", "job.approve", "job:" + id, "awaiting_approval");
    }

    @Test
    void reject_names_the_actor_and_never_runs_the_job() {
        long id = f.job("index", "awaiting_approval", "nightly");
        assertThat(f.postAuth("/api/jobs/" + id + "/reject", "", "X-Actor", "dave").status()).isEqualTo(200);
        assertThat(job(id)).containsEntry("status", "rejected").containsEntry("last_error", "rejected by dave");
        assertThat(((java.sql.Timestamp) job(id).get("completed_at")).toInstant()).isEqualTo(f.now());
        assertAudit("dave", "job.reject", "job:" + id, "awaiting_approval");
    }

    @Test
    void retry_requeues_a_failed_job_with_its_attempts_back() {
        long id = f.job("index", "failed", null);
        f.clock.advance(java.time.Duration.ofMinutes(5));
        assertThat(f.postAuth("/api/jobs/" + id + "/retry", "").status()).isEqualTo(200);
        Map<String, Object> after = job(id);
        assertThat(after).containsEntry("status", "queued").containsEntry("attempts", 0);
        assertThat(after.get("completed_at")).isNull();
        assertThat(((java.sql.Timestamp) after.get("run_at")).toInstant()).isEqualTo(f.now());
        assertAudit("token", "job.retry", "job:" + id, "failed");
    }

    @Test
    void cancel_stops_a_queued_job_and_retry_brings_it_back() {
        long id = f.job("index", "queued", null);
        assertThat(f.postAuth("/api/jobs/" + id + "/cancel", "").status()).isEqualTo(200);
        assertThat(job(id)).containsEntry("status", "cancelled").containsEntry("last_error", "cancelled by token");
        assertAudit("token", "job.cancel", "job:" + id, "queued");
        assertThat(f.postAuth("/api/jobs/" + id + "/retry", "").status()).isEqualTo(200);
        assertThat(job(id).get("status")).isEqualTo("queued");
    }

    @Test
    void an_action_on_a_job_in_the_wrong_status_is_409_and_writes_nothing() {
        long running = f.job("index", "completed", null);
        long queued = f.job("index", "queued", null);
        long failed = f.job("index", "failed", null);
        record Case(long id, String action, String status) {
        }
        for (Case c : List.of(new Case(running, "approve", "completed"), new Case(queued, "reject", "queued"),
                new Case(queued, "retry", "queued"), new Case(failed, "cancel", "failed"),
                new Case(running, "cancel", "completed"))) {
            Map<String, Object> before = job(c.id());
            AdminFixture.Response r = f.postAuth("/api/jobs/" + c.id() + "/" + c.action(), "");
            assertThat(r.status()).as(c.action()).isEqualTo(409);
            assertThat(r.json().get("field").asText()).isEqualTo("status");
            assertThat(r.json().get("value").asText()).isEqualTo(c.status());
            assertThat(r.json().get("message").asText()).startsWith("job " + c.id() + " is " + c.status() + ": " + c.action()
                    + " applies only to a job that is ");
            assertThat(job(c.id())).isEqualTo(before);
        }
        for (String action : new String[] {"approve", "reject", "retry", "cancel"}) {
            assertThat(f.postAuth("/api/jobs/424242/" + action, "").status()).isEqualTo(404);
            assertThat(f.postAuth("/api/jobs/x1/" + action, "").status()).isEqualTo(400);
        }
        assertThat(f.count("admin_audit")).isZero();
    }

    @Test
    void nodes_are_listed_with_the_leader_of_the_last_tick_first() {
        f.db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.nodes (node_id, hostname, pid, version, started_at, last_seen_at, last_led_tick_at, job_types)
                VALUES ('a', 'host-a', 1, '0.2.0', CAST(:now AS timestamptz), CAST(:now AS timestamptz), NULL, '{index}'),
                       ('b', 'host-b', 2, '0.2.0', CAST(:now AS timestamptz), CAST(:now AS timestamptz), CAST(:now AS timestamptz), '{}')""")
                .bind("now", f.now()).execute());
        f.clock.advance(java.time.Duration.ofSeconds(12));
        JsonNode body = f.getAuth("/api/nodes").json();
        assertThat(body.get("count").asInt()).isEqualTo(2);
        assertThat(body.get("nodes").get(0).get("node_id").asText()).isEqualTo("b");
        assertThat(body.get("nodes").get(1).get("job_types").get(0).asText()).isEqualTo("index");
        assertThat(body.get("nodes").get(0).get("seen_seconds_ago").asDouble()).isEqualTo(12.0);
    }

    private void assertAudit(String actor, String action, String target, String statusBefore) {
        Map<String, Object> audit = f.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT actor, action, target, detail ->> 'before' AS before FROM lamplighter.admin_audit ORDER BY id DESC LIMIT 1")
                .mapToMap().one());
        assertThat(audit).containsEntry("actor", actor).containsEntry("action", action).containsEntry("target", target);
        assertThat((String) audit.get("before")).contains("\"status\": \"" + statusBefore + "\"");
        assertThat(f.count("admin_audit")).isGreaterThanOrEqualTo(1);
    }
}
