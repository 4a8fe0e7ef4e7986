package dev.lamplighter.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * An admin server on a free port over the test database, with a test clock, and an HTTP client
 * that speaks to it. Close it after each test.
 */
final class AdminFixture implements AutoCloseable {

    static final String TOKEN = "test-token-0123456789abcdef0123456789abcdef";

    final TestDatabase db = TestDatabase.get();
    final MutableClock clock = TestClock.mutable();
    final LamplighterAdmin admin;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    AdminFixture() {
        db.reset();
        admin = LamplighterAdmin.builder(dataSource()).token(TOKEN).port(0).clock(clock)
                .metricsCacheTtl(Duration.ZERO).start();
    }

    DataSource dataSource() {
        return db.database().dataSource();
    }

    Instant now() {
        return clock.instant();
    }

    /** A response: status, body, and the body as JSON when it is JSON. */
    record Response(int status, String body, String contentType) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    Response get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    /** GET with the token as a Bearer header. */
    Response getAuth(String path) {
        return get(path, "Authorization", "Bearer " + TOKEN);
    }

    Response post(String path, String body, String... headers) {
        return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** POST with the token as X-Internal-Token. */
    Response postAuth(String path, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "X-Internal-Token";
        all[1] = TOKEN;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return post(path, body, all);
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
                .timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    long count(String table) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM lamplighter." + table).mapTo(Long.class).one());
    }

    /** A schedule row as an operator would insert it. */
    void schedule(String name, boolean enabled) {
        db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, enabled, next_run)
                VALUES (:name, 'TestLauncher', :name, '0 0 1 1 *', :enabled, CAST(:next AS timestamptz))""")
                .bind("name", name).bind("enabled", enabled).bind("next", now().plus(Duration.ofDays(30))).execute());
    }

    /** A job in {@code status}; returns its id. */
    long job(String type, String status, String schedule) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                INSERT INTO lamplighter.jobs (job_type, status, schedule_name, run_at, created_at, attempts, max_attempts,
                                              completed_at, last_error)
                VALUES (:type, :status, :schedule, CAST(:now AS timestamptz), CAST(:now AS timestamptz),
                        CASE WHEN :status = 'failed' THEN 3 ELSE 0 END, 3,
                        CASE WHEN :status IN ('failed', 'completed') THEN CAST(:now AS timestamptz) END,
                        CASE WHEN :status = 'failed' THEN 'boom' END)
                RETURNING job_id""")
                .bind("type", type).bind("status", status).bind("schedule", schedule).bind("now", now())
                .mapTo(Long.class).one());
    }

    @Override
    public void close() {
        admin.close();
    }
}
