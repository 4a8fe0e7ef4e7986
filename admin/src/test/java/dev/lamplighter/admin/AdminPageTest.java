package dev.lamplighter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(TestClock.TAG)
class AdminPageTest {

    private AdminFixture f;
    /** Jobs per page of the page's failed and recent lists. */
    private static final int FAILED_SHOWN = 50;
    private static final int RECENT_SHOWN = 20;
    private PageClient page;

    @BeforeEach
    void start() {
        f = new AdminFixture();
        f.schedule("nightly", true);
        page = new PageClient(f.admin.port());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private Instant nextRun(String name) {
        return f.db.jdbi().withHandle(h -> h.createQuery("SELECT next_run FROM lamplighter.scheduled_jobs WHERE name = :n")
                .bind("n", name).mapTo(Instant.class).one());
    }

    private String status(long job) {
        return f.db.jdbi().withHandle(h -> h.createQuery("SELECT status FROM lamplighter.jobs WHERE job_id = :id")
                .bind("id", job).mapTo(String.class).one());
    }

    @Test
    void reading_the_page_needs_a_login_that_sets_an_http_only_same_site_strict_session_cookie() {
        PageClient.Page anonymous = page.get("/");
        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(anonymous.body()).contains("<form method=\"post\" action=\"/login\"").doesNotContain("nightly");

        PageClient.Page wrong = page.login("not-the-token-0123456789abcdef0123456789", "alice");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.setCookies()).isEmpty();
        assertThat(wrong.body()).contains("wrong token");

        PageClient.Page badName = page.login(AdminFixture.TOKEN, "alice smith");
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.setCookies()).isEmpty();
        assertThat(badName.body()).contains("name &#61; &#39;alice smith&#39; is not allowed: expected a letter or digit");

        PageClient.Page ok = page.login(AdminFixture.TOKEN, "alice");
        assertThat(ok.status()).isEqualTo(303);
        assertThat(ok.location()).isEqualTo("/");
        assertThat(ok.setCookies()).singleElement().asString()
                .startsWith("lamplighter_session=").contains("HttpOnly", "SameSite=Strict", "Path=/");

        PageClient.Page shown = page.get("/");
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.body()).contains("id=\"schedule-nightly\"", "Logged in as <strong id=\"actor\">alice</strong>")
                .doesNotContain("<script");
        assertThat(shown.csp()).contains("default-src 'none'", "frame-ancestors 'none'", "form-action 'self'");

        String firstCookie = page.cookie;
        page.login(AdminFixture.TOKEN, "alice");
        assertThat(page.cookie).isNotEqualTo(firstCookie);
        PageClient old = new PageClient(f.admin.port());
        old.cookie = firstCookie;
        assertThat(old.get("/").body()).contains("action=\"/login\"").doesNotContain("schedule-nightly");
    }

    @Test
    void a_button_without_the_form_token_or_the_session_is_refused_and_writes_nothing() {
        page.login(AdminFixture.TOKEN, "alice");
        Instant before = nextRun("nightly");

        PageClient.Page missing = page.post("/page/schedules/nightly/trigger");
        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.body()).contains("csrf &#61; &#39;&#39; is not allowed: expected the form token of this session");

        PageClient.Page wrong = page.post("/page/schedules/nightly/trigger", "csrf", "forged");
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.body()).contains("csrf &#61; &#39;forged&#39; is not allowed");

        String csrf = page.csrf();
        PageClient anonymous = new PageClient(f.admin.port());
        PageClient.Page noSession = anonymous.post("/page/schedules/nightly/trigger", "csrf", csrf);
        assertThat(noSession.status()).isEqualTo(401);
        assertThat(noSession.body()).contains("log in first");

        assertThat(f.count("admin_audit")).isZero();
        assertThat(nextRun("nightly")).isEqualTo(before);
    }

    @Test
    void trigger_runs_the_api_change_with_an_audit_row_under_the_login_name_and_flashes_once() {
        page.login(AdminFixture.TOKEN, "alice");
        PageClient.Page done = page.post("/page/schedules/nightly/trigger", "csrf", page.csrf());
        assertThat(done.status()).isEqualTo(303);
        assertThat(done.location()).isEqualTo("/");

        Map<String, Object> audit = f.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT actor, action, target, at FROM lamplighter.admin_audit").mapToMap().one());
        assertThat(audit).containsEntry("actor", "alice").containsEntry("action", "schedule.trigger")
                .containsEntry("target", "schedule:nightly");
        assertThat(nextRun("nightly")).isEqualTo(f.now());

        assertThat(page.get("/").body()).contains("id=\"flash\">schedule.trigger schedule:nightly by alice (audit row ");
        assertThat(page.get("/").body()).doesNotContain("id=\"flash\"");

        page.post("/page/schedules/nightly/disable", "csrf", page.csrf());
        assertThat(page.get("/").body()).contains("schedule.disable schedule:nightly by alice")
                .contains("name=\"enable-nightly\"").doesNotContain("name=\"trigger-nightly\"");
    }

    @Test
    void a_refused_change_is_shown_on_the_page_and_writes_nothing() {
        f.schedule("off", false);
        long queued = f.job("index", "queued", null);
        page.login(AdminFixture.TOKEN, "bob");
        String csrf = page.csrf();

        assertThat(page.post("/page/schedules/off/trigger", "csrf", csrf).status()).isEqualTo(303);
        assertThat(page.get("/").body()).contains("class=\"flash error\" id=\"flash\">409: schedule &#39;off&#39; is disabled");

        page.post("/page/jobs/" + queued + "/retry", "csrf", csrf);
        assertThat(page.get("/").body()).contains("409: job " + queued + " is queued: retry applies only to a job that is failed or cancelled");

        page.post("/page/jobs/999999/approve", "csrf", csrf);
        assertThat(page.get("/").body()).contains("404: no job with job_id 999999");

        page.post("/page/jobs/abc/approve", "csrf", csrf);
        assertThat(page.get("/").body()).contains("400: id &#61; &#39;abc&#39; is not allowed: expected a job id");

        assertThat(f.count("admin_audit")).isZero();
        assertThat(status(queued)).isEqualTo("queued");
    }

    @Test
    void failed_jobs_retry_and_awaiting_jobs_are_approved_or_rejected_from_their_buttons() {
        long failed = f.job("index", "failed", "nightly");
        long awaiting = f.job("report", "awaiting_approval", "nightly");
        long other = f.job("report", "awaiting_approval", "nightly");
        page.login(AdminFixture.TOKEN, "carol");
        String body = page.get("/").body();
        assertThat(body).contains("id=\"failed-" + failed + "\"", "name=\"retry-" + failed + "\"",
                "name=\"approve-" + awaiting + "\"", "name=\"reject-" + awaiting + "\"");
        String csrf = page.csrf();

        page.post("/page/jobs/" + failed + "/retry", "csrf", csrf);
        page.post("/page/jobs/" + awaiting + "/approve", "csrf", csrf);
        page.post("/page/jobs/" + other + "/reject", "csrf", csrf);

        assertThat(status(failed)).isEqualTo("queued");
        assertThat(status(awaiting)).isEqualTo("queued");
        assertThat(status(other)).isEqualTo("rejected");
        List<String> audit = f.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT action || ' ' || target || ' ' || actor FROM lamplighter.admin_audit ORDER BY id").mapTo(String.class).list());
        assertThat(audit).containsExactly("job.retry job:" + failed + " carol", "job.approve job:" + awaiting + " carol",
                        "job.reject job:" + other + " carol");
    }

    @Test
    void a_last_error_with_markup_is_shown_as_text() {
        String evil = "<script>alert('x')</script> & \"quoted\"";
        f.db.jdbi().useHandle(h -> h.createUpdate("UPDATE lamplighter.scheduled_jobs SET last_error = :e WHERE name = 'nightly'")
                .bind("e", evil).execute());
        long job = f.job("index", "failed", "nightly");
        f.db.jdbi().useHandle(h -> h.createUpdate("UPDATE lamplighter.jobs SET last_error = :e, job_type = :e WHERE job_id = :id")
                .bind("e", evil).bind("id", job).execute());
        page.login(AdminFixture.TOKEN, "alice");

        String body = page.get("/").body();
        assertThat(body).doesNotContain("<script").doesNotContain("alert('x')")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;");
    }

    @Test
    void the_chart_draws_bars_per_hour_of_launches_skips_and_failures_from_the_decision_log() {
        Instant now = f.now();
        f.db.jdbi().useHandle(h -> {
            var insert = h.prepareBatch("""
                    INSERT INTO lamplighter.decision_log (schedule_name, slot, decided_at, outcome, reason)
                    VALUES (:s, CAST(:at AS timestamptz), CAST(:at AS timestamptz), :o, 'test')""");
            insert.bind("s", "nightly").bind("at", now.minus(Duration.ofMinutes(1))).bind("o", "launched").add();
            insert.bind("s", "nightly").bind("at", now.minus(Duration.ofHours(3))).bind("o", "skipped").add();
            insert.bind("s", "nightly").bind("at", now.minus(Duration.ofHours(3))).bind("o", "skipped").add();
            insert.bind("s", "nightly").bind("at", now.minus(Duration.ofHours(5))).bind("o", "failed").add();
            insert.bind("s", "nightly").bind("at", now.minus(Duration.ofHours(30))).bind("o", "failed").add();
            insert.execute();
        });
        page.login(AdminFixture.TOKEN, "alice");
        String body = page.get("/").body();

        assertThat(body).contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\"",
                "nightly, last 24 hours: 1 launched, 2 skipped, 1 failed");
        assertThat(body.split("<rect class=\"bar launched\"", -1)).hasSize(2);
        assertThat(body.split("<rect class=\"bar skipped\"", -1)).hasSize(2);
        assertThat(body.split("<rect class=\"bar failed\"", -1)).hasSize(2);
        // The busiest hour (2 skips) fills the plot; the launch is half as tall.
        assertThat(body).contains("height=\"60.0\"><title>nightly ", "height=\"30.0\"><title>nightly ");
    }

    @Test
    void a_session_ends_at_logout_and_after_half_an_hour_idle() {
        page.login(AdminFixture.TOKEN, "alice");
        String csrf = page.csrf();
        assertThat(page.post("/logout", "csrf", "forged").status()).isEqualTo(403);
        PageClient.Page out = page.post("/logout", "csrf", csrf);
        assertThat(out.status()).isEqualTo(303);
        assertThat(out.setCookies()).singleElement().asString().contains("Max-Age=0");
        assertThat(page.get("/").body()).contains("action=\"/login\"").doesNotContain("schedule-nightly");

        page.login(AdminFixture.TOKEN, "alice");
        f.clock.advance(Duration.ofMinutes(29));
        assertThat(page.get("/").body()).contains("schedule-nightly");
        f.clock.advance(Duration.ofMinutes(30));
        assertThat(page.get("/").body()).contains("action=\"/login\"").doesNotContain("schedule-nightly");
    }

    @Test
    void job_lists_page_with_before_as_the_api_does_through_plain_links() {
        List<Long> jobs = new java.util.ArrayList<>();
        for (int i = 0; i < RECENT_SHOWN + 3; i++) {
            jobs.add(f.job("index", i % 2 == 0 ? "failed" : "completed", null));
        }
        page.login(AdminFixture.TOKEN, "alice");
        String first = page.get("/").body();
        long oldestShown = jobs.get(3);
        assertThat(first).contains("id=\"job-" + jobs.get(jobs.size() - 1) + "\"", "id=\"job-" + oldestShown + "\"")
                .doesNotContain("id=\"job-" + jobs.get(2) + "\"")
                .contains("<a href=\"/?recent_before&#61;" + oldestShown + "#recent\" id=\"recent-older\">older</a>")
                .doesNotContain("id=\"recent-newest\"")
                .doesNotContain("id=\"failed-older\"");   // 12 failed jobs: one page

        // The API's next_before for the same list is the same job id.
        assertThat(f.getAuth("/api/jobs?limit=" + RECENT_SHOWN).json().get("next_before").asLong()).isEqualTo(oldestShown);

        String older = page.get("/?recent_before=" + oldestShown).body();
        assertThat(older).contains("id=\"job-" + jobs.get(2) + "\"", "id=\"job-" + jobs.get(0) + "\"", "(before job " + oldestShown + ")")
                .doesNotContain("id=\"job-" + oldestShown + "\"")
                .contains("<a href=\"/#recent\" id=\"recent-newest\">newest</a>")
                .doesNotContain("id=\"recent-older\"");
        assertThat(older).as("the other lists stay on their first page").contains("id=\"failed-" + jobs.get(jobs.size() - 1) + "\"");

        // Paging one list keeps where the others are.
        String both = page.get("/?recent_before=" + oldestShown + "&failed_before=" + jobs.get(10)).body();
        assertThat(both).contains("<a href=\"/?failed_before&#61;" + jobs.get(10) + "#recent\" id=\"recent-newest\">newest</a>")
                .contains("<a href=\"/?recent_before&#61;" + oldestShown + "#failed\" id=\"failed-newest\">newest</a>")
                .doesNotContain("id=\"failed-" + jobs.get(10) + "\"").contains("id=\"failed-" + jobs.get(8) + "\"");

        PageClient.Page bad = page.get("/?failed_before=abc");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("failed_before &#61; &#39;abc&#39; is not allowed: expected a job id");
    }
}
