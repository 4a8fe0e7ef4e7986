package dev.lamplighter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.Decision;
import dev.lamplighter.JobHandler;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import dev.lamplighter.Schedule;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.events.AttemptEvent;
import dev.lamplighter.worker.metrics.LamplighterMeterBinder;
import dev.lamplighter.worker.testing.EventSequence;
import dev.lamplighter.worker.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/** The starter registers the node's event meters in the application's MeterRegistry. */
class LamplighterEventMetricsTest {

    private final TestDatabase db = TestDatabase.get();

    @BeforeEach
    void reset() {
        db.reset();
    }

    /** A DataSource, a launcher that launches, its handler and its schedule, as beans. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean(destroyMethod = "")
        DataSource dataSource() {
            return TestDatabase.get().database().dataSource();
        }

        @Bean
        Launcher eventLauncher() {
            return new Launcher() {
                @Override
                public String name() {
                    return "EventLauncher";
                }

                @Override
                public Decision checkConditions(LaunchContext ctx) {
                    return Decision.launch("always");
                }
            };
        }

        @Bean
        JobHandler eventHandler() {
            return JobHandler.of("event_job", ctx -> Map.of());
        }

        @Bean
        Schedule eventSchedule() {
            return Schedule.builder("event_schedule").cron("0 0 1 1 *").launcher("EventLauncher").jobType("event_job").build();
        }
    }

    @Test
    void the_registry_counts_a_check_a_claim_and_a_completed_job() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE).properties("spring.flyway.enabled=false").run()) {
            assertThat(context.getBean(LamplighterMeterBinder.class)).isNotNull();
            EventSequence.Recorder events = new EventSequence.Recorder();
            context.getBean(Lamplighter.class).addListener(events);

            assertThat(context.getBean(LamplighterClient.class).trigger("event_schedule")).isTrue();
            events.await("the job's completion", () -> events.attempts("event_job", AttemptEvent.Outcome.COMPLETED) == 1);

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("lamplighter.checks").tag("schedule", "event_schedule").tag("outcome", "launched")
                    .counter().count()).isEqualTo(1.0);
            assertThat(registry.get("lamplighter.decisions").tag("source", "event").counter().count()).isEqualTo(1.0);
            assertThat(registry.get("lamplighter.jobs.claimed").tag("job_type", "event_job").counter().count()).isEqualTo(1.0);
            assertThat(registry.get("lamplighter.jobs.completed").tag("job_type", "event_job").counter().count())
                    .isEqualTo(1.0);
            assertThat(registry.get("lamplighter.job.duration").tag("job_type", "event_job").timer().count()).isEqualTo(1);
            assertThat(registry.get("lamplighter.tick.duration").timer().count()).isGreaterThanOrEqualTo(1);
        }
    }
}
