package dev.lamplighter.spring;

import dev.lamplighter.worker.Lamplighter;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The Actuator health indicator {@code lamplighter}, when Actuator is on the classpath and
 * {@code management.health.lamplighter.enabled} is not false.
 */
@AutoConfiguration(after = LamplighterAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnBean(Lamplighter.class)
public class LamplighterHealthAutoConfiguration {

    /** Used by Spring. */
    public LamplighterHealthAutoConfiguration() {
    }

    /**
     * The indicator (its bean name makes the health key {@code lamplighter}).
     *
     * @param lamplighter the node
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "lamplighterHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("lamplighter")
    public LamplighterHealthIndicator lamplighterHealthIndicator(Lamplighter lamplighter) {
        return new LamplighterHealthIndicator(lamplighter);
    }
}
