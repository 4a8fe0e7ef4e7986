package dev.lamplighter.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamplighter.worker.testing.TestClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The read token ({@code LAMPLIGHTER_ADMIN_READ_TOKEN}): every route, in a table, with no token,
 * the read token and the admin token. Reads answer the reader; every write answers it 403 naming
 * the missing permission and writes nothing; the admin token's writes are audited with its kind.
 * The page logs a reader in without buttons, and refuses its posts.
 */
@Tag(TestClock.TAG)
class ReadTokenTest {

    static final String READ_TOKEN = "read-token-0123456789abcdef0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminFixture f;
    private LamplighterAdmin admin;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() {
        f = new AdminFixture();
        admin = LamplighterAdmin.builder(f.dataSource()).token(AdminFixture.TOKEN).readToken(READ_TOKEN).clock(f.clock)
                .metricsCacheTtl(Duration.ZERO).start();
    }

    @AfterEach
    void stop() {
        admin.close();
        f.close();
    }

    /** A route, and the status the read token gets (the admin token gets {@code adminStatus}). */
    record Route(String method, String path, int readStatus, int adminStatus) {
        boolean write() {
            return !method.equals("GET");
        }
    }

    private List<Route> routes(long awaiting, long failed, long queued) {
        return List.of(
                new Route("GET", "/api/schedules", 200, 200),
                new Route("GET", "/api/schedules/nightly", 200, 200),
                new Route("GET", "/api/jobs", 200, 200),
                new Route("GET", "/api/jobs?status=failed&limit=5", 200, 200),
                new Route("GET", "/api/jobs/" + failed, 200, 200),
                new Route("GET", "/api/nodes", 200, 200),
                new Route("GET", "/api/doctor?conditions=false", 200, 200),
                new Route("GET", "/api/drift", 200, 200),
                // A read: the read token passes; 409 because nightly's launcher is on no classpath.
                new Route("GET", "/api/schedules/nightly/explain", 409, 409),
                new Route("GET", "/metrics", 200, 200),
                new Route("POST", "/api/schedules/nightly/trigger", 403, 200),
                new Route("POST", "/api/schedules/nightly/disable", 403, 200),
                new Route("POST", "/api/schedules/nightly/enable", 403, 200),
                new Route("POST", "/api/jobs/" + awaiting + "/approve", 403, 200),
                new Route("POST", "/api/jobs/" + failed + "/retry", 403, 200),
                new Route("POST", "/api/jobs/" + queued + "/cancel", 403, 200),
                new Route("POST", "/api/jobs/" + queued + "/reject", 403, 409),
                // A write the server has no route for is still a write: refused before routing.
                new Route("DELETE", "/api/schedules/nightly", 403, 404),
                new Route("PUT", "/api/anything", 403, 404));
    }

    private HttpResponse<String> send(String method, String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
                .timeout(Duration.ofSeconds(20)).method(method, method.equals("GET")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(""));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void every_route_answers_the_read_token_for_reads_and_403_for_writes_and_the_admin_token_for_both() throws Exception {
        f.schedule("nightly", true);
        long awaiting = f.job("report", "awaiting_approval", null);
        long failed = f.job("report", "failed", null);
        long queued = f.job("report", "queued", null);
        List<Route> routes = routes(awaiting, failed, queued);

        for (Route r : routes) {
            assertThat(send(r.method(), r.path(), null).statusCode()).as("no token: " + r).isEqualTo(401);
            HttpResponse<String> read = send(r.method(), r.path(), READ_TOKEN);
            assertThat(read.statusCode()).as("read token: " + r + " " + read.body()).isEqualTo(r.readStatus());
            if (r.write()) {
                JsonNode body = JSON.readTree(read.body());
                assertThat(body.get("error").asText()).isEqualTo("forbidden");
                assertThat(body.get("missing_permission").asText()).isEqualTo("write");
                assertThat(body.get("message").asText()).isEqualTo("the read token (LAMPLIGHTER_ADMIN_READ_TOKEN) may not "
                        + r.method() + " " + r.path() + ": it lacks the write permission; send the admin token"
                        + " (LAMPLIGHTER_ADMIN_TOKEN) to change anything");
            }
        }
        assertThat(f.count("admin_audit")).as("no write of the read token was written").isZero();
        assertThat(f.getAuth("/api/schedules/nightly").json().get("enabled").asBoolean()).isTrue();
        List<String> statuses = f.db.jdbi().withHandle(h -> h.createQuery("SELECT status FROM lamplighter.jobs ORDER BY job_id")
                .mapTo(String.class).list());
        assertThat(statuses).containsExactly("awaiting_approval", "failed", "queued");

        for (Route r : routes) {
            HttpResponse<String> full = send(r.method(), r.path(), AdminFixture.TOKEN);
            assertThat(full.statusCode()).as("admin token: " + r + " " + full.body()).isEqualTo(r.adminStatus());
        }
        List<Map<String, Object>> audit = f.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT action, detail ->> 'token' AS token FROM lamplighter.admin_audit ORDER BY id").mapToMap().list());
        assertThat(audit).extracting(a -> a.get("action")).containsExactly("schedule.trigger", "schedule.disable",
                "schedule.enable", "job.approve", "job.retry", "job.cancel");
        assertThat(audit).extracting(a -> a.get("token")).containsOnly("admin");
    }

    @Test
    void health_needs_no_token_and_the_index_lists_the_endpoints_to_anyone() throws Exception {
        assertThat(send("GET", "/health", null).statusCode()).isIn(200, 503);
        assertThat(send("GET", "/health", READ_TOKEN).statusCode()).isIn(200, 503);
        assertThat(send("GET", "/", null).statusCode()).isEqualTo(200);
    }

    @Test
    void a_reader_logs_in_to_a_page_without_buttons_and_its_posts_are_refused() {
        f.schedule("nightly", true);
        long failed = f.job("report", "failed", null);
        PageClient reader = new PageClient(admin.port());
        assertThat(reader.login(READ_TOKEN, "auditor").status()).isEqualTo(303);
        PageClient.Page shown = reader.get("/");
        assertThat(shown.body()).contains("id=\"schedule-nightly\"", "id=\"failed-" + failed + "\"", "id=\"read-only\"")
                .doesNotContain("action=\"/page/");
        String csrf = reader.csrf();
        PageClient.Page refused = reader.post("/page/schedules/nightly/disable", "csrf", csrf);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("lacks the write permission").contains("nothing was changed");
        assertThat(reader.post("/page/jobs/" + failed + "/retry", "csrf", csrf).status()).isEqualTo(403);
        assertThat(f.count("admin_audit")).isZero();
        assertThat(f.getAuth("/api/schedules/nightly").json().get("enabled").asBoolean()).isTrue();

        PageClient writer = new PageClient(admin.port());
        writer.login(AdminFixture.TOKEN, "alice");
        assertThat(writer.get("/").body()).contains("action=\"/page/schedules/nightly/disable\"").doesNotContain("id=\"read-only\"");
        assertThat(writer.post("/page/schedules/nightly/disable", "csrf", writer.csrf()).status()).isEqualTo(303);
        String audited = f.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT actor || ' ' || action || ' ' || (detail ->> 'token') FROM lamplighter.admin_audit").mapTo(String.class).one());
        assertThat(audited).isEqualTo("alice schedule.disable admin");
    }

    @Test
    void the_read_token_is_checked_as_the_token_is_and_must_differ_from_it() {
        assertThatThrownBy(() -> LamplighterAdmin.builder(f.dataSource()).token(AdminFixture.TOKEN).readToken("r".repeat(31)).start())
                .isInstanceOf(AdminSettingsException.class)
                .hasMessage("LAMPLIGHTER_ADMIN_READ_TOKEN has 31 characters: expected 32 to 512 (e.g. openssl rand -hex 32)");
        assertThatThrownBy(() -> LamplighterAdmin.builder(f.dataSource()).token(AdminFixture.TOKEN).readToken(AdminFixture.TOKEN).start())
                .isInstanceOf(AdminSettingsException.class)
                .hasMessage("LAMPLIGHTER_ADMIN_READ_TOKEN is the same as LAMPLIGHTER_ADMIN_TOKEN: expected a token of its own"
                        + " (e.g. openssl rand -hex 32), or unset it for no read-only access");
        assertThatThrownBy(() -> AdminSettings.fromEnvironment(Map.of("LAMPLIGHTER_ADMIN_PORT", "9464",
                "LAMPLIGHTER_ADMIN_TOKEN", AdminFixture.TOKEN, "LAMPLIGHTER_ADMIN_READ_TOKEN", "with space " + "x".repeat(40))))
                .hasMessageStartingWith("LAMPLIGHTER_ADMIN_READ_TOKEN has a character that is not printable ASCII at position 5");
        AdminSettings s = AdminSettings.fromEnvironment(Map.of("LAMPLIGHTER_ADMIN_PORT", "9464",
                "LAMPLIGHTER_ADMIN_TOKEN", AdminFixture.TOKEN, "LAMPLIGHTER_ADMIN_READ_TOKEN", READ_TOKEN)).orElseThrow();
        assertThat(s.readToken()).isEqualTo(READ_TOKEN);
        assertThat(s.toString()).doesNotContain(READ_TOKEN).contains("readToken=(" + READ_TOKEN.length() + " characters)");
        assertThat(AdminSettings.fromEnvironment(Map.of("LAMPLIGHTER_ADMIN_PORT", "9464",
                "LAMPLIGHTER_ADMIN_TOKEN", AdminFixture.TOKEN)).orElseThrow().readToken()).isNull();
    }
}
