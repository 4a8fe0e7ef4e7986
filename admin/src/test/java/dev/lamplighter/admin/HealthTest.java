package dev.lamplighter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lamplighter.Decision;
import dev.lamplighter.JobHandler;
import dev.lamplighter.Schedule;
import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.testing.TestClock;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

@Tag(TestClock.TAG)
class HealthTest {

    private static final Duration POLL = Duration.ofSeconds(10);
    private AdminFixture f;

    @BeforeEach
    void start() {
        f = new AdminFixture();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private Lamplighter node() {
        LamplighterConfig config = LamplighterConfig.builder().clock(f.clock).pollInterval(POLL)
                .workerPollInterval(Duration.ofMinutes(5)).nodeId("health-node").build();
        return Lamplighter.builder(f.dataSource()).config(config)
                .handler(JobHandler.of("index", ctx -> Map.of()))
                .schedule(Schedule.builder("nightly").cron("0 0 1 1 *").launcher(new SkipLauncher()).jobType("index").build())
                .start();
    }

    static final class SkipLauncher implements dev.lamplighter.Launcher {
        @Override
        public Decision checkConditions(dev.lamplighter.LaunchContext ctx) {
            return Decision.skip("nothing to do");
        }
    }

    private JsonNode health(LamplighterAdmin admin, int expectedStatus) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + admin.port() + "/health")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expectedStatus);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
    }

    /** Waits until the node's first tick is in the nodes table: the signal that the poll loop ran. */
    private void awaitFirstTick() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (f.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM lamplighter.nodes WHERE last_led_tick_at IS NOT NULL").mapTo(Long.class).one()) == 0) {
            assertThat(System.nanoTime()).as("the node led a tick within 30 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void healthy_with_a_running_node_and_503_with_the_reasons_once_it_stops() throws Exception {
        Lamplighter node = node();
        try (LamplighterAdmin admin = LamplighterAdmin.builder(f.dataSource()).token(AdminFixture.TOKEN).clock(f.clock)
                .pollInterval(POLL).node(node).start()) {
            awaitFirstTick();
            JsonNode ok = health(admin, 200);
            assertThat(ok.get("healthy").asBoolean()).isTrue();
            assertThat(ok.get("problems")).isEmpty();
            assertThat(ok.get("checks").get("database").get("ok").asBoolean()).isTrue();
            assertThat(ok.get("checks").get("poll_loop").get("last_leader").asText()).isEqualTo("health-node");
            assertThat(ok.get("checks").get("workers").get("live_nodes_with_handlers").asInt()).isEqualTo(1);
            assertThat(ok.get("checks").get("node").get("node_id").asText()).isEqualTo("health-node");
            assertThat(ok.get("checks").get("node").get("last_tick_at").asText()).isEqualTo(f.now().toString());
            assertThat(ok.get("checks").get("node").get("last_tick_led").asBoolean()).isTrue();
            assertThat(ok.get("checks").get("poll_loop").get("due_schedules").asInt()).isZero();

            node.close();
            JsonNode down = health(admin, 503);
            assertThat(down.get("healthy").asBoolean()).isFalse();
            assertThat(down.get("problems").toString())
                    .doesNotContain("poll loop")   // its last tick is recent
                    .contains("workers: no live node")
                    .contains("node health-node: closed");
        } finally {
            node.close();
        }
    }

    @Test
    void a_poll_loop_that_stopped_ticking_is_503_after_three_poll_intervals_while_schedules_are_due() throws Exception {
        f.db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.nodes (node_id, hostname, pid, version, last_seen_at, last_led_tick_at, job_types)
                VALUES ('n1', 'h', 1, '0.2.0', CAST(:now AS timestamptz), CAST(:now AS timestamptz), '{index}')""")
                .bind("now", f.now()).execute());
        f.schedule("due_soon", true);
        f.db.jdbi().useHandle(h -> h.createUpdate("UPDATE lamplighter.scheduled_jobs SET next_run = CAST(:at AS timestamptz)")
                .bind("at", f.now().plus(POLL)).execute());
        try (LamplighterAdmin admin = LamplighterAdmin.builder(f.dataSource()).token(AdminFixture.TOKEN).clock(f.clock)
                .pollInterval(POLL).start()) {
            f.clock.advance(POLL.multipliedBy(3).minusSeconds(1));
            JsonNode late = health(admin, 200);
            assertThat(late.get("checks").get("poll_loop").get("due_schedules").asInt()).isEqualTo(1);
            f.clock.advance(Duration.ofSeconds(2));
            JsonNode stale = health(admin, 503);
            assertThat(stale.get("problems").get(0).asText())
                    .isEqualTo("poll loop: no node led a tick in the last 30 s (3 poll intervals) while 1 schedule(s) are due"
                            + " (last tick " + f.now().minus(POLL.multipliedBy(3).plusSeconds(1)) + " by n1)");
            assertThat(stale.get("checks").get("poll_loop").get("ok").asBoolean()).isFalse();
            assertThat(stale.get("checks").get("workers").get("ok").asBoolean()).isTrue();

            // Nothing due: a silent loop holds nothing up, and the report still shows when it last ticked.
            f.db.jdbi().useHandle(h -> h.execute("UPDATE lamplighter.scheduled_jobs SET enabled = false"));
            JsonNode idle = health(admin, 200);
            assertThat(idle.get("checks").get("poll_loop").get("ok").asBoolean()).isTrue();
            assertThat(idle.get("checks").get("poll_loop").get("due_schedules").asInt()).isZero();
            assertThat(idle.get("checks").get("poll_loop").get("last_leader").asText()).isEqualTo("n1");
        }
    }

    @Test
    void an_unreachable_database_is_503_and_the_api_says_so_too() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setServerNames(new String[] {"127.0.0.1"});
        nowhere.setPortNumbers(new int[] {closedPort});
        nowhere.setDatabaseName("lamplighter");
        nowhere.setConnectTimeout(1);
        try (LamplighterAdmin admin = LamplighterAdmin.builder(nowhere).token(AdminFixture.TOKEN).start()) {
            JsonNode down = health(admin, 503);
            assertThat(down.get("checks").get("database").get("ok").asBoolean()).isFalse();
            assertThat(down.get("problems").get(0).asText()).startsWith("database: unreachable (");
            HttpResponse<String> api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + admin.port() + "/api/schedules"))
                    .header("X-Internal-Token", AdminFixture.TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).isEqualTo(503);
            assertThat(api.body()).contains("the database cannot be reached");
        }
    }
}
