package dev.lamplighter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** nodes: who is live, who led the last tick, what each can check and run. */
@Tag(TestClock.TAG)
class NodesCommandTest {

    private final TestDatabase db = TestDatabase.get();
    private final MutableClock clock = TestClock.mutable();
    private final CliRun cli = new CliRun(db, clock);

    @BeforeEach
    void reset() {
        db.reset();
    }

    static void node(TestDatabase db, String id, Instant seen, Instant led, String[] launchers, String[] caps, String[] types) {
        db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.nodes (node_id, hostname, pid, version, started_at, last_seen_at, last_led_tick_at,
                                               launchers, capabilities, job_types)
                VALUES (:id, 'host', 42, '0.2.0', :seen, :seen, :led, :launchers, :caps, :types)""")
                .bind("id", id).bind("seen", seen).bind("led", led).bind("launchers", launchers).bind("caps", caps)
                .bind("types", types).execute());
    }

    @Test
    void nodes_lists_the_leader_first_with_liveness_capabilities_and_handler_types() throws Exception {
        Instant now = clock.instant();
        node(db, "worker-b", now.minusSeconds(5), null, new String[] {}, new String[] {}, new String[] {"reindex"});
        node(db, "leader-a", now.minusSeconds(2), now.minusSeconds(2), new String[] {"lamplighter.counter"},
                new String[] {"llm"}, new String[] {"echo"});
        node(db, "gone-c", now.minus(Duration.ofMinutes(5)), now.minus(Duration.ofMinutes(6)), new String[] {}, new String[] {},
                new String[] {});
        assertThat(cli.run("nodes", "--json")).isZero();
        JsonNode rows = cli.json();
        assertThat(rows.size()).isEqualTo(3);
        assertThat(rows.get(0).get("node_id").asText()).isEqualTo("leader-a");
        assertThat(rows.get(0).get("led_last_tick").asBoolean()).isTrue();
        assertThat(rows.get(0).get("live").asBoolean()).isTrue();
        assertThat(rows.get(0).get("capabilities").get(0).asText()).isEqualTo("llm");
        assertThat(rows.get(0).get("launchers").get(0).asText()).isEqualTo("lamplighter.counter");
        assertThat(rows.get(0).get("seen_seconds_ago").asDouble()).isEqualTo(2.0);
        assertThat(rows.get(1).get("node_id").asText()).isEqualTo("gone-c");
        assertThat(rows.get(1).get("live").asBoolean()).isFalse();
        assertThat(rows.get(1).get("led_last_tick").asBoolean()).isFalse();
        assertThat(rows.get(2).get("job_types").get(0).asText()).isEqualTo("reindex");
        assertThat(cli.run("nodes")).isZero();
        assertThat(cli.outLines().get(0)).startsWith("node_id ");
        assertThat(cli.out()).contains("leader-a", "[llm]", "[reindex]", "(3 rows)");
    }

    @Test
    void nodes_shows_the_singletons_whose_lease_each_node_holds_now() throws Exception {
        Instant now = clock.instant();
        node(db, "a", now, now, new String[] {}, new String[] {}, new String[] {});
        node(db, "b", now, null, new String[] {}, new String[] {}, new String[] {});
        db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.singletons (name, owner, token, lease_until)
                VALUES ('feed', 'a', 3, CAST(:live AS timestamptz)), ('reconciler', 'a', 1, CAST(:live AS timestamptz)),
                       ('expired', 'b', 7, CAST(:past AS timestamptz))""")
                .bind("live", now.plusSeconds(30)).bind("past", now.minusSeconds(1)).execute());

        assertThat(cli.run("nodes", "--json")).isZero();
        JsonNode rows = cli.json();

        assertThat(rows.get(0).get("node_id").asText()).isEqualTo("a");
        assertThat(rows.get(0).get("singletons").toString()).isEqualTo("[\"feed\",\"reconciler\"]");
        assertThat(rows.get(1).get("singletons").toString()).as("a lease that ran out is not held").isEqualTo("[]");
    }
}
