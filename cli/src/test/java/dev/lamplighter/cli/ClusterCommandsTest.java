package dev.lamplighter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** pause, resume, drain, undrain: what they change, what status, nodes and doctor then say, and bad input. */
@Tag(TestClock.TAG)
class ClusterCommandsTest {

    private final TestDatabase db = TestDatabase.get();
    private final MutableClock clock = TestClock.mutable();
    private final CliRun cli = new CliRun(db, clock);

    @BeforeEach
    void reset() {
        db.reset();
        Instant now = clock.instant();
        NodesCommandTest.node(db, "node-a", now.minusSeconds(5), now.minusSeconds(5), new String[] {}, new String[] {},
                new String[] {"echo"});
        NodesCommandTest.node(db, "node-b", now.minusSeconds(3), null, new String[] {}, new String[] {}, new String[] {"echo"});
    }

    private Map<String, Object> clusterRow() {
        return db.jdbi().withHandle(h -> h.createQuery(
                "SELECT paused, reason, paused_by, paused_at FROM lamplighter.cluster_state").mapToMap().one());
    }

    private long count(String sql) {
        Long n = db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
        return n;
    }

    private Map<String, Object> audit() {
        return db.jdbi().withHandle(h -> h.createQuery(
                "SELECT action, target, actor, detail::text AS detail FROM lamplighter.admin_audit ORDER BY id DESC LIMIT 1")
                .mapToMap().one());
    }

    @Test
    void pause_stores_who_why_and_since_status_nodes_and_doctor_show_it_and_resume_clears_it() throws Exception {
        assertThat(cli.run("pause", "--reason", "database upgrade", "--json")).as(String.join("\n", cli.errLines())).isZero();
        JsonNode result = cli.json();
        assertThat(result.get("action").asText()).isEqualTo("cluster.pause");
        assertThat(result.get("actor").asText()).startsWith("cli:");
        assertThat(result.get("cluster").get("reason").asText()).isEqualTo("database upgrade");
        assertThat(result.get("cluster").get("paused_at").asText()).isEqualTo(clock.instant().toString());
        assertThat(clusterRow()).containsEntry("paused", true).containsEntry("reason", "database upgrade")
                .containsEntry("paused_by", result.get("actor").asText());
        assertThat(audit()).containsEntry("action", "cluster.pause").containsEntry("target", "cluster");
        assertThat((String) audit().get("detail")).contains("\"reason\": \"database upgrade\"");

        assertThat(cli.run("status")).isZero();
        assertThat(cli.outLines().get(0)).isEqualTo("PAUSED since " + clock.instant() + " by " + result.get("actor").asText()
                + ": database upgrade (no schedule is checked, no job claimed; lamplighter resume)");
        assertThat(cli.run("nodes")).isZero();
        assertThat(cli.outLines().get(0)).startsWith("PAUSED since ");
        assertThat(cli.run("doctor", "--no-conditions", "--json")).isEqualTo(1);
        JsonNode paused = null;
        for (JsonNode f : cli.json().get("findings")) {
            if (f.get("check").asText().equals("paused")) {
                paused = f;
            }
        }
        assertThat(paused).as("doctor's pause finding").isNotNull();
        assertThat(paused.get("severity").asText()).isEqualTo("attention");
        assertThat(paused.get("message").asText()).contains("database upgrade").contains("no node checks a schedule");
        assertThat(paused.get("action").asText()).contains("lamplighter resume");

        assertThat(cli.run("resume")).isZero();
        assertThat(cli.out()).startsWith("Cluster resumed (paused since " + clock.instant());
        assertThat(clusterRow()).containsEntry("paused", false).containsEntry("reason", null);
        assertThat(audit()).containsEntry("action", "cluster.resume");
        assertThat(cli.run("status")).isZero();
        assertThat(cli.out()).doesNotContain("PAUSED");
        assertThat(cli.run("resume", "--json")).isZero();
        assertThat(cli.json().get("before").get("paused").asBoolean()).isFalse();
    }

    @Test
    void pause_refuses_an_empty_a_blank_or_a_long_reason_naming_the_field_and_writes_nothing() {
        assertThat(cli.run("pause", "--reason", "")).isEqualTo(Main.EXIT_USAGE);
        assertThat(cli.errLines()).singleElement().asString()
                .isEqualTo("lamplighter: --reason = '' is not allowed: expected 1 to 500 characters, not only spaces (it has 0)");
        assertThat(cli.run("pause", "--reason", "   ")).isEqualTo(Main.EXIT_USAGE);
        assertThat(cli.run("pause", "--reason", "x".repeat(501))).isEqualTo(Main.EXIT_USAGE);
        assertThat(cli.errLines().get(0)).contains("--reason = 'xxxx").contains("(it has 501)");
        assertThat(cli.run("pause")).isEqualTo(Main.EXIT_USAGE);
        assertThat(String.join("\n", cli.errLines())).contains("Missing required option: '--reason=TEXT'");
        assertThat(count("SELECT count(*) FROM lamplighter.cluster_state")).isZero();
        assertThat(count("SELECT count(*) FROM lamplighter.admin_audit")).isZero();
    }

    @Test
    void drain_marks_the_node_nodes_shows_it_undrain_clears_it_and_an_unknown_node_names_the_live_ones() throws Exception {
        assertThat(cli.run("drain", "node-a", "--json")).as(String.join("\n", cli.errLines())).isZero();
        JsonNode result = cli.json();
        assertThat(result.get("action").asText()).isEqualTo("node.drain");
        assertThat(result.get("target").asText()).isEqualTo("node:node-a");
        assertThat(result.get("node").get("drain_requested_at").asText()).isEqualTo(clock.instant().toString());
        assertThat(audit()).containsEntry("action", "node.drain").containsEntry("target", "node:node-a");

        assertThat(cli.run("nodes", "--json")).isZero();
        JsonNode nodes = cli.json();
        assertThat(nodes.get(0).get("node_id").asText()).isEqualTo("node-a");
        assertThat(nodes.get(0).get("drain").asText()).isEqualTo("draining");
        assertThat(nodes.get(1).get("drain").isNull()).isTrue();

        // The node says it is drained once it runs nothing (PauseAndDrainTest); as SQL here.
        db.jdbi().useHandle(h -> h.execute("UPDATE lamplighter.nodes SET drained_at = now() WHERE node_id = 'node-a'"));
        assertThat(cli.run("nodes", "--json")).isZero();
        assertThat(cli.json().get(0).get("drain").asText()).isEqualTo("drained");
        assertThat(cli.run("doctor", "--no-conditions")).as("a drain is a note, not a problem").isZero();
        assertThat(cli.out()).contains("node node-a is drained");

        assertThat(cli.run("drain", "node-a")).isZero();
        assertThat(cli.out()).contains("it is drained since");

        assertThat(cli.run("undrain", "node-a")).isZero();
        assertThat(cli.out()).startsWith("Node node-a is undrained");
        assertThat(cli.run("nodes", "--json")).isZero();
        assertThat(cli.json().get(0).get("drain").isNull()).isTrue();
        assertThat(cli.json().get(0).get("drained_at").isNull()).isTrue();

        assertThat(cli.run("drain", "node-z")).isEqualTo(Main.EXIT_USAGE);
        assertThat(cli.errLines()).singleElement().asString().isEqualTo(
                "lamplighter: NODE = 'node-z': no such node in lamplighter.nodes; the live nodes are [node-a, node-b] (lamplighter nodes)");
        assertThat(cli.run("undrain", "bad id!")).isEqualTo(Main.EXIT_USAGE);
        assertThat(cli.errLines()).singleElement().asString().startsWith("lamplighter: NODE = 'bad id!' is not allowed");
        assertThat(count("SELECT count(*) FROM lamplighter.admin_audit WHERE target = 'node:node-z'")).isZero();
    }
}
