package dev.lamplighter.spring;

import dev.lamplighter.worker.Lamplighter;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Actuator health {@code lamplighter}: UP when the node runs and each of its loops reaches the
 * database, DOWN otherwise; the details carry the node id, its launchers and job types, and the
 * problems in words (empty when UP).
 */
public class LamplighterHealthIndicator implements HealthIndicator {

    private final Lamplighter node;

    /**
     * An indicator for one node.
     *
     * @param node the node
     */
    public LamplighterHealthIndicator(Lamplighter node) {
        this.node = node;
    }

    @Override
    public Health health() {
        Lamplighter.Health health = node.health();
        Health.Builder builder = health.healthy() ? Health.up() : Health.down();
        return builder.withDetail("nodeId", node.nodeId())
                .withDetail("launchers", node.launcherNames().stream().sorted().toList())
                .withDetail("jobTypes", node.jobTypes().stream().sorted().toList())
                .withDetail("problems", health.problems())
                .build();
    }
}
