package dev.lamplighter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.testing.TestDatabase;
import java.util.List;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.ConfigurableApplicationContext;

/** The Actuator health indicator {@code lamplighter} (Spring Boot 3 health API). */
class LamplighterHealthTest {

    @BeforeEach
    void reset() {
        TestDatabase.get().reset();
        LamplighterAutoConfigurationTest.signals = new LamplighterAutoConfigurationTest.Signals();
    }

    @Test
    void the_health_indicator_answers_up_with_details_and_down_once_the_node_is_closed() {
        Lamplighter node;
        Health health;
        try (ConfigurableApplicationContext context = LamplighterAutoConfigurationTest.run("lamplighter.node-id=spring-health")) {
            node = context.getBean(Lamplighter.class);
            health = (Health) context.getBean(HealthEndpoint.class).healthForPath("lamplighter");
        }
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("nodeId", "spring-health").containsEntry("problems", List.of())
                .containsEntry("jobTypes", List.of("blocking", "spring_job"));
        assertThat(health.getDetails().get("launchers")).asInstanceOf(InstanceOfAssertFactories.LIST).contains("SpringLauncher");

        Health closed = new LamplighterHealthIndicator(node).health();
        assertThat(closed.getStatus()).isEqualTo(Status.DOWN);
        assertThat(closed.getDetails()).containsEntry("problems", List.of("closed"));
    }

    @Test
    void management_health_lamplighter_enabled_false_turns_the_indicator_off_and_leaves_the_node() {
        try (ConfigurableApplicationContext context = LamplighterAutoConfigurationTest.run("management.health.lamplighter.enabled=false")) {
            assertThat(context.getBeanNamesForType(LamplighterHealthIndicator.class)).isEmpty();
            assertThat(context.getBean(Lamplighter.class).isHealthy()).isTrue();
        }
    }
}
