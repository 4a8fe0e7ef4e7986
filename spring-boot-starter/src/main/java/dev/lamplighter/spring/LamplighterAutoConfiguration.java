package dev.lamplighter.spring;

import dev.lamplighter.JobHandler;
import dev.lamplighter.Launcher;
import dev.lamplighter.Schedule;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.worker.Lamplighter;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * A Lamplighter node on the application's {@link DataSource}: every {@link Launcher},
 * {@link JobHandler} and {@link Schedule} bean is registered, and so is every schedule declared
 * in {@code lamplighter.schedules.*}. The node starts and stops with the application context
 * ({@link LamplighterLifecycle}). Off with {@code lamplighter.enabled=false}; a {@link Lamplighter}
 * bean of the application's own replaces the one built here.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnProperty(prefix = "lamplighter", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(LamplighterProperties.class)
public class LamplighterAutoConfiguration {

    /** Used by Spring. */
    public LamplighterAutoConfiguration() {
    }

    /**
     * The node, built but not started: {@link LamplighterLifecycle} starts it once every bean is
     * ready. Closing it again at destruction is harmless.
     *
     * @param dataSource the application's DataSource
     * @param properties the {@code lamplighter.*} properties
     * @param launchers every Launcher bean
     * @param handlers every JobHandler bean
     * @param schedules every Schedule bean
     * @return the node
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Lamplighter lamplighter(DataSource dataSource, LamplighterProperties properties,
            ObjectProvider<Launcher> launchers, ObjectProvider<JobHandler> handlers, ObjectProvider<Schedule> schedules) {
        Lamplighter.Builder builder = Lamplighter.builder(dataSource).config(PropertiesMapping.config(properties));
        launchers.orderedStream().forEach(builder::launcher);
        handlers.orderedStream().forEach(builder::handler);
        schedules.orderedStream().forEach(builder::schedule);
        PropertiesMapping.schedules(properties).forEach(builder::schedule);
        PropertiesMapping.jobTypeLimits(properties, builder);
        return builder.build();
    }

    /**
     * Starts and stops the node with the context.
     *
     * @param lamplighter the node
     * @return its lifecycle
     */
    @Bean
    @ConditionalOnMissingBean
    public LamplighterLifecycle lamplighterLifecycle(Lamplighter lamplighter) {
        return new LamplighterLifecycle(lamplighter);
    }

    /**
     * The node's client: enqueue jobs, trigger schedules, bump counters from application code.
     *
     * @param lamplighter the node
     * @return its client, on the same DataSource
     */
    @Bean
    @ConditionalOnMissingBean
    public LamplighterClient lamplighterClient(Lamplighter lamplighter) {
        return lamplighter.client();
    }
}
