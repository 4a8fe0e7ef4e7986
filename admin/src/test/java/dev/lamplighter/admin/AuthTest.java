package dev.lamplighter.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthTest {

    private AdminFixture f;

    @BeforeEach
    void start() {
        f = new AdminFixture();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void api_without_a_token_is_401_json_and_says_how_to_send_one() {
        for (String path : new String[] {"/api/schedules", "/api/jobs", "/api/nodes", "/metrics", "/api/no-such-endpoint"}) {
            AdminFixture.Response r = f.get(path);
            assertThat(r.status()).as(path).isEqualTo(401);
            assertThat(r.contentType()).startsWith("application/json");
            assertThat(r.json().get("error").asText()).isEqualTo("unauthorized");
            assertThat(r.json().get("message").asText()).contains("Authorization: Bearer").contains("X-Internal-Token");
        }
    }

    @Test
    void a_wrong_token_is_401_in_either_header() {
        String wrong = AdminFixture.TOKEN.substring(0, AdminFixture.TOKEN.length() - 1) + "X";
        assertThat(f.get("/api/schedules", "Authorization", "Bearer " + wrong).status()).isEqualTo(401);
        assertThat(f.get("/api/schedules", "X-Internal-Token", wrong).status()).isEqualTo(401);
        assertThat(f.get("/api/schedules", "Authorization", "Bearer " + AdminFixture.TOKEN + "extra").status()).isEqualTo(401);
        assertThat(f.get("/api/schedules", "Authorization", "Basic " + AdminFixture.TOKEN).status()).isEqualTo(401);
        assertThat(f.get("/api/schedules", "X-Internal-Token", wrong).json().get("message").asText()).isEqualTo("wrong token");
    }

    @Test
    void both_header_forms_are_accepted() {
        assertThat(f.get("/api/schedules", "Authorization", "Bearer " + AdminFixture.TOKEN).status()).isEqualTo(200);
        assertThat(f.get("/api/schedules", "authorization", "bearer " + AdminFixture.TOKEN).status()).isEqualTo(200);
        assertThat(f.get("/api/schedules", "X-Internal-Token", AdminFixture.TOKEN).status()).isEqualTo(200);
        assertThat(f.get("/metrics", "X-Internal-Token", AdminFixture.TOKEN).status()).isEqualTo(200);
    }

    @Test
    void a_refused_write_writes_nothing() {
        f.schedule("nightly", true);
        assertThat(f.post("/api/schedules/nightly/disable", "").status()).isEqualTo(401);
        assertThat(f.count("admin_audit")).isZero();
        assertThat(f.getAuth("/api/schedules/nightly").json().get("enabled").asBoolean()).isTrue();
    }

    @Test
    void an_unknown_endpoint_with_the_token_is_404_json() {
        AdminFixture.Response r = f.getAuth("/api/schedulez");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("message").asText()).isEqualTo("no endpoint GET /api/schedulez: GET / lists the endpoints");
        assertThat(f.get("/nothing-here").status()).isEqualTo(404);
    }

    @Test
    void health_and_the_index_need_no_token() {
        assertThat(f.get("/health").status()).isIn(200, 503);
        AdminFixture.Response index = f.get("/");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.contentType()).startsWith("text/html");
        assertThat(index.body()).contains("<a href=\"/health\">", "/api/schedules", "/api/jobs", "/metrics", "/api/nodes")
                .doesNotContain("<script");
    }

    @Test
    void metrics_may_be_opened_to_a_scraper_without_a_token() {
        try (LamplighterAdmin open = LamplighterAdmin.builder(f.dataSource()).token(AdminFixture.TOKEN)
                .metricsNeedToken(false).start()) {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + open.port() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("# TYPE lamplighter_schedules gauge");
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void the_server_refuses_to_start_with_an_empty_or_short_token() {
        assertThatThrownBy(() -> LamplighterAdmin.builder(f.dataSource()).start())
                .isInstanceOf(AdminSettingsException.class)
                .hasMessageStartingWith("LAMPLIGHTER_ADMIN_TOKEN is empty");
        assertThatThrownBy(() -> LamplighterAdmin.builder(f.dataSource()).token("x".repeat(31)).start())
                .isInstanceOf(AdminSettingsException.class)
                .hasMessage("LAMPLIGHTER_ADMIN_TOKEN has 31 characters: expected 32 to 512 (e.g. openssl rand -hex 32)");
        assertThatThrownBy(() -> LamplighterAdmin.builder(f.dataSource()).token("x".repeat(31) + " ").start())
                .isInstanceOf(AdminSettingsException.class).hasMessageContaining("LAMPLIGHTER_ADMIN_TOKEN");
    }

    @Test
    void settings_from_the_environment_are_off_without_a_port_and_checked_with_one() {
        assertThat(AdminSettings.fromEnvironment(Map.of())).isEmpty();
        assertThat(AdminSettings.fromEnvironment(Map.of("LAMPLIGHTER_ADMIN_TOKEN", AdminFixture.TOKEN))).isEmpty();
        AdminSettings s = AdminSettings.fromEnvironment(Map.of("LAMPLIGHTER_ADMIN_PORT", "9464",
                "LAMPLIGHTER_ADMIN_TOKEN", AdminFixture.TOKEN)).orElseThrow();
        assertThat(s.port()).isEqualTo(9464);
        assertThat(s.bind()).isEqualTo("127.0.0.1");
        assertThat(s.metricsNeedToken()).isTrue();
        assertThat(s.toString()).doesNotContain(AdminFixture.TOKEN);

        assertThatThrownBy(() -> AdminSettings.fromEnvironment(Map.of("LAMPLIGHTER_ADMIN_PORT", "9464")))
                .hasMessageStartingWith("LAMPLIGHTER_ADMIN_TOKEN is empty");
        assertThatThrownBy(() -> AdminSettings.fromEnvironment(Map.of("LAMPLIGHTER_ADMIN_PORT", "70000",
                "LAMPLIGHTER_ADMIN_TOKEN", AdminFixture.TOKEN)))
                .hasMessage("LAMPLIGHTER_ADMIN_PORT = 70000 is not allowed: expected 1 to 65535 (0, any free port, from code only)");
        assertThatThrownBy(() -> AdminSettings.fromEnvironment(Map.of("LAMPLIGHTER_ADMIN_PORT", "http",
                "LAMPLIGHTER_ADMIN_TOKEN", AdminFixture.TOKEN)))
                .hasMessage("LAMPLIGHTER_ADMIN_PORT = \"http\" is not allowed: expected a whole number from 1 to 65535");
        assertThatThrownBy(() -> AdminSettings.fromEnvironment(Map.of("LAMPLIGHTER_ADMIN_PORT", "0",
                "LAMPLIGHTER_ADMIN_TOKEN", AdminFixture.TOKEN))).hasMessageStartingWith("LAMPLIGHTER_ADMIN_PORT = 0");
        assertThatThrownBy(() -> AdminSettings.fromEnvironment(Map.of("LAMPLIGHTER_ADMIN_PORT", "9464",
                "LAMPLIGHTER_ADMIN_TOKEN", AdminFixture.TOKEN, "LAMPLIGHTER_ADMIN_METRICS_TOKEN", "maybe")))
                .hasMessage("LAMPLIGHTER_ADMIN_METRICS_TOKEN = \"maybe\" is not allowed: expected true or false");
        assertThatThrownBy(() -> AdminSettings.fromEnvironment(Map.of("LAMPLIGHTER_ADMIN_PORT", "9464",
                "LAMPLIGHTER_ADMIN_TOKEN", AdminFixture.TOKEN, "LAMPLIGHTER_ADMIN_BIND", " ")))
                .hasMessageStartingWith("LAMPLIGHTER_ADMIN_BIND = \"\" is not allowed");
    }

    @Test
    void a_port_in_use_is_a_one_line_error_naming_the_setting() {
        assertThatThrownBy(() -> LamplighterAdmin.builder(f.dataSource()).token(AdminFixture.TOKEN).port(f.admin.port()).start())
                .hasMessageStartingWith("LAMPLIGHTER_ADMIN_PORT = " + f.admin.port() + ": the admin server cannot listen on 127.0.0.1:");
    }
}
