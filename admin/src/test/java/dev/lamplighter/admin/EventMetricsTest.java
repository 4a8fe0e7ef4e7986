package dev.lamplighter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.testing.EventSequence;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * With {@code .node(node)}, {@code /metrics} counts the node's events as they happen: the known
 * sequence of {@link EventSequence} (a launch, a skip, a launcher failure that disables its
 * schedule, a completed job, a job retried then failed, a timeout, a rescue), scraped, parsed and
 * its counter values checked.
 */
@Tag(TestClock.TAG)
class EventMetricsTest {

    private static final String TOKEN = "event-metrics-token-0123456789abcdef0123456789";

    private final TestDatabase db = TestDatabase.get();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void reset() {
        db.reset();
    }

    private PrometheusText scrape(LamplighterAdmin admin) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + "/metrics"))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return PrometheusText.parse(r.body());
    }

    private static double value(PrometheusText p, String name, Map<String, String> labels) {
        return p.samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(PrometheusText.Sample::value).sum();
    }

    @Test
    void metrics_count_the_events_of_a_known_sequence() throws Exception {
        MutableClock clock = TestClock.mutable();
        EventSequence.Recorder events = new EventSequence.Recorder();
        try (Lamplighter node = EventSequence.node(db.database().dataSource(), clock, "event-metrics-node")
                .listener(events).start();
             LamplighterAdmin admin = LamplighterAdmin.builder(db.database().dataSource()).token(TOKEN).port(0)
                     .clock(clock).metricsCacheTtl(Duration.ZERO).node(node).start()) {
            EventSequence.run(node, db.jdbi(), clock, events);
            PrometheusText p = scrape(admin);

            assertThat(p.types).containsEntry("lamplighter_checks_total", "counter")
                    .containsEntry("lamplighter_tick_duration_seconds", "histogram")
                    .containsEntry("lamplighter_tick_lag_seconds", "histogram")
                    .containsEntry("lamplighter_job_duration_seconds", "histogram");
            assertThat(value(p, "lamplighter_checks_total", Map.of("schedule", "ev_launch", "outcome", "launched"))).isEqualTo(1);
            assertThat(value(p, "lamplighter_checks_total", Map.of("schedule", "ev_launch", "outcome", "skipped"))).isZero();
            assertThat(value(p, "lamplighter_checks_total", Map.of("schedule", "ev_skip", "outcome", "skipped"))).isEqualTo(1);
            assertThat(value(p, "lamplighter_checks_total", Map.of("schedule", "ev_broken", "outcome", "failed"))).isEqualTo(1);
            assertThat(value(p, "lamplighter_checks_total", Map.of())).isEqualTo(3);
            assertThat(value(p, "lamplighter_skips_total", Map.of("schedule", "ev_skip", "reason", "condition_not_met")))
                    .isEqualTo(1);
            assertThat(value(p, "lamplighter_skips_total", Map.of())).isEqualTo(1);
            assertThat(value(p, "lamplighter_launcher_failures_total", Map.of("schedule", "ev_broken"))).isEqualTo(1);
            assertThat(value(p, "lamplighter_schedules_disabled_total", Map.of("schedule", "ev_broken"))).isEqualTo(1);
            assertThat(value(p, "lamplighter_decisions_total", Map.of("source", "event"))).isEqualTo(3);

            assertThat(value(p, "lamplighter_jobs_claimed_total", Map.of("job_type", "ev_ok"))).isEqualTo(1);
            assertThat(value(p, "lamplighter_jobs_claimed_total", Map.of("job_type", "ev_flaky"))).isEqualTo(2);
            assertThat(value(p, "lamplighter_jobs_claimed_total", Map.of("job_type", "ev_slow"))).isEqualTo(1);
            assertThat(value(p, "lamplighter_jobs_completed_total", Map.of("job_type", "ev_ok"))).isEqualTo(1);
            assertThat(value(p, "lamplighter_jobs_retried_total", Map.of("job_type", "ev_flaky"))).isEqualTo(1);
            assertThat(value(p, "lamplighter_jobs_failed_total", Map.of("job_type", "ev_flaky"))).isEqualTo(1);
            assertThat(value(p, "lamplighter_jobs_timed_out_total", Map.of("job_type", "ev_slow"))).isEqualTo(1);
            assertThat(value(p, "lamplighter_jobs_failed_total", Map.of("job_type", "ev_slow"))).isZero();
            assertThat(value(p, "lamplighter_jobs_rescued_total", Map.of("job_type", "ev_ghost"))).isEqualTo(1);
            assertThat(value(p, "lamplighter_job_duration_seconds_count", Map.of("job_type", "ev_flaky"))).isEqualTo(2);
            assertThat(value(p, "lamplighter_job_duration_seconds_sum", Map.of("job_type", "ev_slow"))).isGreaterThanOrEqualTo(0.2);
            assertThat(value(p, "lamplighter_tick_duration_seconds_count", Map.of())).isGreaterThanOrEqualTo(1);
            assertThat(value(p, "lamplighter_tick_lag_seconds_count", Map.of())).isGreaterThanOrEqualTo(1);
            // The gauges read from the tables are still there.
            assertThat(p.types).containsKey("lamplighter_schedules");
        }
    }

    @Test
    void without_a_node_metrics_has_no_event_counters() throws Exception {
        try (LamplighterAdmin admin = LamplighterAdmin.builder(db.database().dataSource()).token(TOKEN).port(0)
                .metricsCacheTtl(Duration.ZERO).start()) {
            assertThat(scrape(admin).types).doesNotContainKey("lamplighter_checks_total").containsKey("lamplighter_schedules");
        }
    }
}
