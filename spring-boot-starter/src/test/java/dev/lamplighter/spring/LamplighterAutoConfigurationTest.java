package dev.lamplighter.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.Decision;
import dev.lamplighter.JobHandler;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import dev.lamplighter.Schedule;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A real Spring Boot application (every auto-configuration on the classpath, Actuator included)
 * over the test database: the starter's beans, properties, gauges and shutdown (health: LamplighterHealthTest).
 */
class LamplighterAutoConfigurationTest {

    private static final long TIMEOUT_SECONDS = 30;

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();

    /** What the application's beans signal to the test; one per test. */
    static Signals signals;

    @BeforeEach
    void reset() {
        db.reset();
        signals = new Signals();
    }

    static final class Signals {
        final CountDownLatch ran = new CountDownLatch(1);
        final CountDownLatch blockingStarted = new CountDownLatch(3);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch blockingDone = new CountDownLatch(4);
        final CountDownLatch stopping = new CountDownLatch(1);
    }

    /** The application: a DataSource, a launcher, two handlers and a schedule, as beans. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        /** The shared test pool; no destroy method, so closing the context leaves it open. */
        @Bean(destroyMethod = "")
        DataSource dataSource() {
            return TestDatabase.get().database().dataSource();
        }

        @Bean
        Launcher springLauncher() {
            return new Launcher() {
                @Override
                public String name() {
                    return "SpringLauncher";
                }

                @Override
                public Decision checkConditions(LaunchContext ctx) {
                    return Decision.launch(Map.of("from", "spring"), "always");
                }
            };
        }

        @Bean
        JobHandler springJobHandler() {
            return JobHandler.of("spring_job", ctx -> {
                signals.ran.countDown();
                return Map.of("from", ctx.payload().get("from"));
            });
        }

        @Bean
        JobHandler blockingHandler() {
            return JobHandler.of("blocking", ctx -> {
                signals.blockingStarted.countDown();
                try {
                    signals.release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } finally {
                    signals.blockingDone.countDown();
                }
                return Map.of();
            });
        }

        /** The starter's lifecycle, telling the test when the context begins to stop the node. */
        @Bean
        LamplighterLifecycle lamplighterLifecycle(ObjectProvider<Lamplighter> node) {
            Lamplighter lamplighter = node.getIfAvailable();
            if (lamplighter == null) {
                return null; // lamplighter.enabled=false
            }
            return new LamplighterLifecycle(lamplighter) {
                @Override
                public void stop() {
                    signals.stopping.countDown();
                    super.stop();
                }
            };
        }

        @Bean
        Schedule springSchedule() {
            return Schedule.builder("spring_schedule").cron("0 0 1 1 *")
                    .launcher("SpringLauncher").jobType("spring_job").build();
        }
    }

    static ConfigurableApplicationContext run(String... properties) {
        return new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                // The application has no Flyway migrations of its own (Lamplighter applies its own);
                // and Boot 3.5's Flyway auto-configuration does not run on Flyway 12 or later.
                .properties("spring.flyway.enabled=false")
                .properties(properties)
                .run();
    }

    @Test
    void a_launcher_bean_and_a_handler_bean_run_a_schedule_triggered_through_the_client_bean() throws Exception {
        try (ConfigurableApplicationContext context = run()) {
            LamplighterClient client = context.getBean(LamplighterClient.class);
            assertThat(client).isSameAs(context.getBean(Lamplighter.class).client());

            assertThat(client.trigger("spring_schedule")).isTrue();

            assertThat(signals.ran.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("the handler ran").isTrue();
        }
        assertThat(strings("SELECT status FROM lamplighter.jobs WHERE schedule_name = 'spring_schedule'"))
                .containsExactly("completed");
    }

    @Test
    void worker_threads_and_node_id_from_properties_apply_to_the_node() throws Exception {
        try (ConfigurableApplicationContext context = run("lamplighter.worker-threads=3", "lamplighter.node-id=spring-test")) {
            assertThat(strings("SELECT node_id FROM lamplighter.nodes"))
                    .containsExactly("spring-test");

            LamplighterClient client = context.getBean(LamplighterClient.class);
            for (int i = 0; i < 4; i++) {
                client.enqueue(JobRequest.builder("blocking").build());
            }
            assertThat(signals.blockingStarted.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("three jobs started").isTrue();
            // The fourth job is claimed into the node's prefetch buffer (it may take one more claim).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (!strings("SELECT status FROM lamplighter.jobs WHERE job_type = 'blocking' AND status = 'queued'").isEmpty()
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(strings("SELECT status || ':' || count(*) FROM lamplighter.jobs WHERE job_type = 'blocking' GROUP BY status ORDER BY status"))
                    .as("three worker threads: three jobs run, the fourth waits claimed in the node's prefetch buffer")
                    .containsExactly("running:4");
            assertThat(signals.blockingDone.getCount()).as("none finished while blocked").isEqualTo(4);
            assertThat(strings("SELECT DISTINCT locked_by FROM lamplighter.jobs WHERE status = 'running'")).containsExactly("spring-test");

            signals.release.countDown();
            assertThat(signals.blockingDone.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("all four ran").isTrue();
        }
    }

    @Test
    void listen_prefetch_completion_flush_and_poll_chunk_size_from_properties_apply_to_the_node() {
        try (ConfigurableApplicationContext context = run("lamplighter.listen=false", "lamplighter.worker-prefetch=3",
                "lamplighter.worker-completion-flush=50ms", "lamplighter.poll-chunk-size=7",
                "lamplighter.node-id=spring-settings")) {
            Lamplighter node = context.getBean(Lamplighter.class);
            assertThat(node.config().listen()).isFalse();
            assertThat(node.config().workerPrefetch()).isEqualTo(3);
            assertThat(node.config().workerCompletionFlush()).isEqualTo(java.time.Duration.ofMillis(50));
            assertThat(node.config().pollChunkSize()).isEqualTo(7);
            assertThat(node.isHealthy()).as("no LISTEN connection is no problem: %s", node.health()).isTrue();
            assertThat(count("SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'LISTEN %'"))
                    .as("no session of this node issued LISTEN").isZero();
        }
        try (ConfigurableApplicationContext context = run("lamplighter.node-id=spring-defaults")) {
            Lamplighter node = context.getBean(Lamplighter.class);
            assertThat(node.config().listen()).isTrue();
            assertThat(node.config().workerPrefetch()).as("the default cap for the node's threads")
                    .isEqualTo(LamplighterConfig.defaultWorkerPrefetch(node.config().workerThreads()));
        }
        assertThatThrownBy(() -> run("lamplighter.poll-chunk-size=0"))
                .rootCause()
                .hasMessageContaining("lamplighter.poll-chunk-size")
                .hasMessageContaining("= 0")
                .hasMessageContaining("from 1 to 10000");
        assertThatThrownBy(() -> run("lamplighter.worker-prefetch=5001"))
                .rootCause()
                .hasMessageContaining("lamplighter.worker-prefetch")
                .hasMessageContaining("from 0 to 5000");
    }

    @Test
    void a_schedule_declared_in_properties_is_registered_with_its_params() {
        try (ConfigurableApplicationContext context = run(
                "lamplighter.schedules.nightly-report.cron=0 3 * * *",
                "lamplighter.schedules.nightly-report.launcher=SpringLauncher",
                "lamplighter.schedules.nightly-report.job-type=spring_job",
                "lamplighter.schedules.nightly-report.time-zone=Europe/Berlin",
                "lamplighter.schedules.nightly-report.max-retries=7",
                "lamplighter.schedules.nightly-report.params.threshold=10",
                "lamplighter.schedules.nightly-report.params.ratio=0.25",
                "lamplighter.schedules.nightly-report.params.strict=true",
                "lamplighter.schedules.nightly-report.params.label=night")) {
            Map<String, Object> row = jdbi.withHandle(h -> h.createQuery("""
                    SELECT launcher, job_type, schedule_cron, time_zone, max_retries, enabled,
                           params = '{"threshold": 10, "ratio": 0.25, "strict": true, "label": "night"}'::jsonb AS params_typed
                    FROM lamplighter.scheduled_jobs WHERE name = 'nightly-report'""").mapToMap().one());
            assertThat(row).containsEntry("launcher", "SpringLauncher").containsEntry("job_type", "spring_job")
                    .containsEntry("schedule_cron", "0 3 * * *").containsEntry("time_zone", "Europe/Berlin")
                    .containsEntry("max_retries", 7).containsEntry("enabled", true).containsEntry("params_typed", true);
            assertThat(strings("SELECT name FROM lamplighter.scheduled_jobs ORDER BY name")).containsExactly("nightly-report", "spring_schedule");
        }
    }

    @Test
    void the_gauges_count_the_queue_by_job_type_and_the_schedules_by_state() {
        try (ConfigurableApplicationContext context = run("lamplighter.worker-threads=0")) {
            jdbi.useHandle(h -> h.execute("""
                    INSERT INTO lamplighter.jobs (job_type, status, run_at)
                    VALUES ('unhandled_report', 'queued', now() - interval '90 seconds'),
                           ('unhandled_report', 'queued', now() + interval '1 hour');
                    INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, enabled, next_run, retry_count)
                    VALUES ('off', 'SpringLauncher', 'spring_job', '0 * * * *', false, now() + interval '1 hour', 0),
                           ('flaky', 'SpringLauncher', 'spring_job', '0 * * * *', true, now() + interval '1 hour', 2)"""));
            MeterRegistry registry = context.getBean(MeterRegistry.class);

            assertThat(registry.get(LamplighterMetrics.SCHEDULES).tag("state", "enabled").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get(LamplighterMetrics.SCHEDULES).tag("state", "disabled").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get(LamplighterMetrics.SCHEDULES).tag("state", "failing").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get(LamplighterMetrics.QUEUE_DEPTH).tag("job_type", "unhandled_report").gauge().value())
                    .as("a job type first seen in the queue gets its gauges").isEqualTo(2.0);
            assertThat(registry.get(LamplighterMetrics.QUEUE_OLDEST_AGE).tag("job_type", "unhandled_report").gauge().value())
                    .isBetween(90.0, 90.0 + TIMEOUT_SECONDS);
            assertThat(registry.get(LamplighterMetrics.QUEUE_DEPTH).tag("job_type", "spring_job").gauge().value())
                    .as("a handled job type with an empty queue").isEqualTo(0.0);
            assertThat(registry.get(LamplighterMetrics.QUEUE_DEPTH).meters()).hasSize(3);
        }
    }

    @Test
    void closing_the_context_with_a_job_in_flight_gives_the_job_back_to_the_queue_after_the_shutdown_timeout()
            throws Exception {
        long jobId;
        try (ConfigurableApplicationContext context = run("lamplighter.shutdown-timeout=1s", "lamplighter.node-id=spring-stop")) {
            jobId = context.getBean(LamplighterClient.class).enqueue(JobRequest.builder("blocking").build());
            assertThat(awaitFirstStart()).as("the job started").isTrue();
        }
        Map<String, Object> job = jdbi.withHandle(h -> h.createQuery(
                "SELECT status, locked_by FROM lamplighter.jobs WHERE job_id = :id").bind("id", jobId).mapToMap().one());
        signals.release.countDown();
        assertThat(job.get("status")).as("not lost, not failed: back in the queue").isEqualTo("queued");
        assertThat(job.get("locked_by")).isNull();
        assertThat(count("SELECT count(*) FROM lamplighter.nodes"))
                .as("the node left the nodes table").isZero();
    }

    @Test
    void closing_the_context_drains_a_job_that_finishes_within_the_shutdown_timeout() throws Exception {
        long jobId;
        try (ConfigurableApplicationContext context = run("lamplighter.shutdown-timeout=30s")) {
            jobId = context.getBean(LamplighterClient.class).enqueue(JobRequest.builder("blocking").build());
            assertThat(awaitFirstStart()).as("the job started").isTrue();
            Thread closer = new Thread(context::close, "test-context-close");
            closer.start();
            assertThat(signals.stopping.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("the node is stopping").isTrue();
            assertThat(jobStatus(jobId)).as("still running while the node stops").isEqualTo("running");
            signals.release.countDown();
            closer.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            assertThat(closer.isAlive()).as("the context closed").isFalse();
        }
        assertThat(jobStatus(jobId)).isEqualTo("completed");
    }

    private List<String> strings(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
    }

    private int count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }

    private String jobStatus(long jobId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT status FROM lamplighter.jobs WHERE job_id = :id")
                .bind("id", jobId).mapTo(String.class).one());
    }

    private static boolean awaitFirstStart() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (signals.blockingStarted.getCount() == 3 && System.nanoTime() < deadline) {
            signals.release.await(10, TimeUnit.MILLISECONDS);
        }
        return signals.blockingStarted.getCount() < 3;
    }

    @Test
    void lamplighter_enabled_false_starts_no_node() {
        try (ConfigurableApplicationContext context = run("lamplighter.enabled=false")) {
            assertThat(context.getBeanNamesForType(Lamplighter.class)).isEmpty();
            assertThat(context.getBeanNamesForType(LamplighterMetrics.class)).isEmpty();
        }
        assertThat(count("SELECT count(*) FROM lamplighter.nodes")).isZero();
    }

    @Test
    void a_property_out_of_bounds_stops_the_application_with_a_message_naming_the_property_the_value_and_the_bounds() {
        assertThatThrownBy(() -> run("lamplighter.poll-interval=0s"))
                .rootCause()
                .hasMessageContaining("lamplighter.poll-interval")
                .hasMessageContaining("= 0s")
                .hasMessageContaining("from 1s to 1h");
        assertThatThrownBy(() -> run("lamplighter.schedules.broken.cron=every day",
                "lamplighter.schedules.broken.launcher=SpringLauncher", "lamplighter.schedules.broken.job-type=x"))
                .rootCause()
                .hasMessageContaining("lamplighter.schedules.broken")
                .hasMessageContaining("\"every day\"")
                .hasMessageContaining("expected 5 fields");
    }
}
