package dev.lamplighter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.Decision;
import dev.lamplighter.JobHandler;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import dev.lamplighter.Schedule;
import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.testing.TestClock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real node goes through a known sequence (a launch whose job completes, a skip, a launcher
 * failure, a launch whose job fails), then /metrics is parsed and its values checked.
 */
@Tag(TestClock.TAG)
class MetricsTest {

    private AdminFixture f;

    @BeforeEach
    void start() {
        f = new AdminFixture();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    /** Launches, skips or throws, and counts down once per check. */
    record Fixed(String name, String what, CountDownLatch checked) implements Launcher {
        @Override
        public Decision checkConditions(LaunchContext ctx) {
            checked.countDown();
            return switch (what) {
                case "launch" -> Decision.launch("work is waiting");
                case "skip" -> Decision.skip("nothing to do");
                default -> throw new IllegalStateException("the source is down");
            };
        }
    }

    private PrometheusText scrape() {
        AdminFixture.Response r = f.getAuth("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/plain; version=0.0.4");
        return PrometheusText.parse(r.body());
    }

    @Test
    void gauges_count_a_known_sequence_of_checks_and_jobs() throws Exception {
        CountDownLatch checked = new CountDownLatch(4);
        CountDownLatch ran = new CountDownLatch(2);
        LamplighterConfig config = LamplighterConfig.builder().clock(f.clock).pollInterval(Duration.ofHours(1))
                .workerPollInterval(Duration.ofMinutes(5)).nodeId("metrics-node").build();
        try (Lamplighter node = Lamplighter.builder(f.dataSource()).config(config)
                .handler(JobHandler.of("m_ok", ctx -> {
                    ran.countDown();
                    return Map.of();
                }))
                .handler(JobHandler.of("m_bad", ctx -> {
                    ran.countDown();
                    throw new IllegalStateException("the job broke");
                }))
                .schedule(Schedule.builder("m_launch").cron("0 0 1 1 *").launcher(new Fixed("L1", "launch", checked))
                        .jobType("m_ok").build())
                .schedule(Schedule.builder("m_skip").cron("0 0 1 1 *").launcher(new Fixed("L2", "skip", checked))
                        .jobType("m_ok").build())
                .schedule(Schedule.builder("m_fail").cron("0 0 1 1 *").launcher(new Fixed("L3", "fail", checked))
                        .jobType("m_ok").build())
                .schedule(Schedule.builder("m_jobfail").cron("0 0 1 1 *").launcher(new Fixed("L4", "launch", checked))
                        .jobType("m_bad").maxAttempts(1).build())
                .start()) {
            for (String s : new String[] {"m_launch", "m_skip", "m_fail", "m_jobfail"}) {
                assertThat(f.postAuth("/api/schedules/" + s + "/trigger", "").status()).isEqualTo(200);
            }
            assertThat(checked.await(30, TimeUnit.SECONDS)).as("four checks").isTrue();
            assertThat(ran.await(30, TimeUnit.SECONDS)).as("two jobs ran").isTrue();
        }
        // The node has stopped: its checks and job outcomes are committed.
        String outcomes = f.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT string_agg(job_type || '=' || status, ',' ORDER BY job_type) FROM lamplighter.jobs").mapTo(String.class).one());
        assertThat(outcomes).isEqualTo("m_bad=failed,m_ok=completed");
        // Two runnable jobs waiting, the older for 5 minutes, and one not yet due.
        f.db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.jobs (job_type, status, run_at)
                VALUES ('m_wait', 'queued', CAST(:now AS timestamptz) - interval '5 minutes'),
                       ('m_wait', 'queued', CAST(:now AS timestamptz) - interval '1 minute'),
                       ('m_wait', 'queued', CAST(:now AS timestamptz) + interval '1 hour'),
                       ('m_hitl', 'awaiting_approval', CAST(:now AS timestamptz))""").bind("now", f.now()).execute());

        PrometheusText p = scrape();
        assertThat(p.types).containsEntry("lamplighter_decisions_last_hour", "gauge")
                .containsEntry("lamplighter_queue_oldest_age_seconds", "gauge");
        String d = "lamplighter_decisions_last_hour";
        assertThat(p.value(d, Map.of("schedule", "m_launch", "outcome", "launched"))).contains(1.0);
        assertThat(p.value(d, Map.of("schedule", "m_launch", "outcome", "skipped"))).contains(0.0);
        assertThat(p.value(d, Map.of("schedule", "m_skip", "outcome", "skipped"))).contains(1.0);
        assertThat(p.value(d, Map.of("schedule", "m_fail", "outcome", "failed"))).contains(1.0);
        assertThat(p.value(d, Map.of("schedule", "m_fail", "outcome", "launched"))).contains(0.0);
        assertThat(p.value(d, Map.of("schedule", "m_jobfail", "outcome", "launched"))).contains(1.0);
        assertThat(p.all(d)).hasSize(12);

        assertThat(p.value("lamplighter_schedules", Map.of("state", "enabled"))).contains(3.0);
        assertThat(p.value("lamplighter_schedules", Map.of("state", "failing"))).contains(1.0);
        assertThat(p.value("lamplighter_schedules", Map.of("state", "disabled"))).contains(0.0);
        assertThat(p.value("lamplighter_schedule_retry_count", Map.of("schedule", "m_fail"))).contains(1.0);
        assertThat(p.value("lamplighter_schedule_retry_count", Map.of("schedule", "m_skip"))).contains(0.0);

        assertThat(p.value("lamplighter_jobs_completed_last_hour", Map.of("job_type", "m_ok"))).contains(1.0);
        assertThat(p.value("lamplighter_jobs_failed_last_hour", Map.of("job_type", "m_bad"))).contains(1.0);
        assertThat(p.value("lamplighter_jobs_failed_last_hour", Map.of("job_type", "m_ok"))).isEmpty();

        assertThat(p.value("lamplighter_queue_depth", Map.of("job_type", "m_wait"))).contains(2.0);
        assertThat(p.value("lamplighter_queue_oldest_age_seconds", Map.of("job_type", "m_wait"))).contains(300.0);
        assertThat(p.value("lamplighter_jobs_running", Map.of("job_type", "m_wait"))).contains(0.0);
        assertThat(p.value("lamplighter_jobs_awaiting_approval", Map.of("job_type", "m_hitl"))).contains(1.0);

        // An hour later the checks and finished jobs have left the window; the waiting job is older.
        f.clock.advance(Duration.ofHours(1));
        PrometheusText later = scrape();
        assertThat(later.value(d, Map.of("schedule", "m_launch", "outcome", "launched"))).contains(0.0);
        assertThat(later.all("lamplighter_jobs_completed_last_hour")).isEmpty();
        assertThat(later.value("lamplighter_queue_depth", Map.of("job_type", "m_wait"))).contains(3.0);
        assertThat(later.value("lamplighter_queue_oldest_age_seconds", Map.of("job_type", "m_wait"))).contains(3900.0);
    }

    @Test
    void one_read_of_the_tables_serves_every_scrape_for_the_cache_time() {
        f.schedule("nightly", true);
        try (LamplighterAdmin cached = LamplighterAdmin.builder(f.dataSource()).token(AdminFixture.TOKEN).clock(f.clock)
                .metricsNeedToken(false).metricsCacheTtl(Duration.ofMinutes(5)).start()) {
            String url = "http://127.0.0.1:" + cached.port() + "/metrics";
            assertThat(PrometheusText.parse(get(url)).value("lamplighter_schedules", Map.of("state", "enabled"))).contains(1.0);
            f.schedule("hourly", true);
            assertThat(PrometheusText.parse(get(url)).value("lamplighter_schedules", Map.of("state", "enabled"))).contains(1.0);
        }
        // Without a cache, the next scrape sees the new row.
        assertThat(scrape().value("lamplighter_schedules", Map.of("state", "enabled"))).contains(2.0);
    }

    private static String get(String url) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
