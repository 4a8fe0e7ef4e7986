package dev.lamplighter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lamplighter.worker.testing.TestClock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** POST /api/pause, /api/resume, /api/nodes/{id}/drain and /undrain; the pause in GET /api/nodes and /health. */
@Tag(TestClock.TAG)
class ClusterApiTest {

    private AdminFixture f;

    @BeforeEach
    void start() {
        f = new AdminFixture();
        // A live node that led a tick just now and has handlers: /health is healthy with it.
        f.db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.nodes (node_id, hostname, pid, version, started_at, last_seen_at, last_led_tick_at, job_types)
                VALUES ('node-a', 'h', 1, 'v', :now, :now, :now, '{index}')""").bind("now", f.now()).execute());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private Map<String, Object> cluster() {
        return f.db.jdbi().withHandle(h -> h.createQuery("SELECT paused, reason, paused_by FROM lamplighter.cluster_state")
                .mapToMap().one());
    }

    @Test
    void pause_is_stored_audited_and_shown_by_nodes_and_health_which_stays_healthy_and_resume_clears_it() {
        AdminFixture.Response r = f.postAuth("/api/pause", "{\"reason\": \"database upgrade\"}", "X-Actor", "alice@example.com");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("action").asText()).isEqualTo("cluster.pause");
        assertThat(body.get("cluster").get("paused_at").asText()).isEqualTo(f.now().toString());
        assertThat(cluster()).containsEntry("paused", true).containsEntry("reason", "database upgrade")
                .containsEntry("paused_by", "alice@example.com");
        Map<String, Object> audit = f.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT action, actor, target, detail ->> 'reason' AS reason FROM lamplighter.admin_audit").mapToMap().one());
        assertThat(audit).containsEntry("action", "cluster.pause").containsEntry("actor", "alice@example.com")
                .containsEntry("target", "cluster").containsEntry("reason", "database upgrade");

        JsonNode nodes = f.getAuth("/api/nodes").json();
        assertThat(nodes.get("cluster").get("paused").asBoolean()).isTrue();
        assertThat(nodes.get("cluster").get("reason").asText()).isEqualTo("database upgrade");
        assertThat(nodes.get("cluster").get("paused_by").asText()).isEqualTo("alice@example.com");

        AdminFixture.Response health = f.get("/health");
        assertThat(health.status()).as("a paused cluster is not unhealthy: " + health.body()).isEqualTo(200);
        JsonNode pause = health.json().get("checks").get("pause");
        assertThat(pause.get("ok").asBoolean()).isTrue();
        assertThat(pause.get("paused").asBoolean()).isTrue();
        assertThat(pause.get("reason").asText()).isEqualTo("database upgrade");
        assertThat(pause.get("note").asText()).contains("not a fault");

        AdminFixture.Response resumed = f.postAuth("/api/resume", "");
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        assertThat(resumed.json().get("before").get("reason").asText()).isEqualTo("database upgrade");
        assertThat(cluster()).containsEntry("paused", false).containsEntry("reason", null);
        assertThat(f.getAuth("/api/nodes").json().get("cluster").get("paused").asBoolean()).isFalse();

        AdminFixture.Response byQuery = f.postAuth("/api/pause?reason=deploy", "");
        assertThat(byQuery.status()).as(byQuery.body()).isEqualTo(200);
        assertThat(cluster()).containsEntry("reason", "deploy");
    }

    @Test
    void pause_without_a_reason_or_with_a_bad_one_is_400_naming_the_field_and_writes_nothing() {
        assertThat(f.post("/api/pause", "{\"reason\": \"x\"}").status()).as("no token").isEqualTo(401);

        AdminFixture.Response none = f.postAuth("/api/pause", "");
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.json().get("field").asText()).isEqualTo("reason");
        assertThat(none.json().get("message").asText()).contains("required");

        AdminFixture.Response empty = f.postAuth("/api/pause?reason=", "");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("field").asText()).isEqualTo("reason");

        AdminFixture.Response blank = f.postAuth("/api/pause", "{\"reason\": \"  \"}");
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.json().get("field").asText()).isEqualTo("body.reason");

        AdminFixture.Response longOne = f.postAuth("/api/pause", "{\"reason\": \"" + "x".repeat(501) + "\"}");
        assertThat(longOne.status()).isEqualTo(400);
        assertThat(longOne.json().get("message").asText()).isEqualTo(
                "body.reason = '501 characters' is not allowed: expected text of 1 to 500 characters");

        AdminFixture.Response unknown = f.postAuth("/api/pause?reason=a&until=tomorrow", "");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("field").asText()).isEqualTo("query parameter until");

        assertThat(f.count("cluster_state")).isZero();
        assertThat(f.count("admin_audit")).isZero();
    }

    @Test
    void drain_and_undrain_a_node_and_an_unknown_node_is_404_naming_the_live_ones() {
        AdminFixture.Response r = f.postAuth("/api/nodes/node-a/drain", "{\"reason\": \"rolling deploy\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("node").get("drain_requested_at").asText()).isEqualTo(f.now().toString());
        JsonNode node = f.getAuth("/api/nodes").json().get("nodes").get(0);
        assertThat(node.get("drain").asText()).isEqualTo("draining");
        assertThat(node.get("drain_requested_by").asText()).isEqualTo("token");

        AdminFixture.Response undrained = f.postAuth("/api/nodes/node-a/undrain", "");
        assertThat(undrained.status()).as(undrained.body()).isEqualTo(200);
        assertThat(f.getAuth("/api/nodes").json().get("nodes").get(0).get("drain").isNull()).isTrue();

        AdminFixture.Response missing = f.postAuth("/api/nodes/node-z/drain", "");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("field").asText()).isEqualTo("id");
        assertThat(missing.json().get("message").asText()).isEqualTo("no node with id 'node-z': the live nodes are [node-a]");

        AdminFixture.Response bad = f.postAuth("/api/nodes/bad%20id/drain", "");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("id");

        java.util.List<String> actions = f.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT action FROM lamplighter.admin_audit ORDER BY id").mapTo(String.class).list());
        assertThat(actions).containsExactly("node.drain", "node.undrain");
    }
}
