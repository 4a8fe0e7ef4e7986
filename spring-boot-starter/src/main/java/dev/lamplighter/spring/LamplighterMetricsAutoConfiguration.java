package dev.lamplighter.spring;

import dev.lamplighter.JobHandler;
import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.metrics.LamplighterMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@link LamplighterMetrics} gauges and the node's event meters ({@link LamplighterMeterBinder}:
 * checks, skips, claims, attempt outcomes, rescues, tick and job histograms), when Micrometer is on
 * the classpath and the application has a {@link MeterRegistry} bean (Spring Boot binds every
 * MeterBinder bean to it).
 */
@AutoConfiguration(after = LamplighterAutoConfiguration.class, afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
@ConditionalOnBean({Lamplighter.class, MeterRegistry.class})
public class LamplighterMetricsAutoConfiguration {

    /** Used by Spring. */
    public LamplighterMetricsAutoConfiguration() {
    }

    /**
     * The gauges, over the DataSource the node runs on.
     *
     * @param dataSource the application's DataSource
     * @param handlers every JobHandler bean: their job types have gauges from the start
     * @return the binder
     */
    @Bean
    @ConditionalOnMissingBean
    public LamplighterMetrics lamplighterMetrics(DataSource dataSource, ObjectProvider<JobHandler> handlers) {
        return new LamplighterMetrics(dataSource, handlers.orderedStream().map(JobHandler::jobType).toList(),
                LamplighterMetrics.DEFAULT_CACHE);
    }

    /**
     * The node's event meters, registered on the node as its listener (before the node starts: the
     * node is built here and started once every bean is ready).
     *
     * @param lamplighter the node
     * @return the binder, bound to the registry by Spring Boot like any MeterBinder bean
     */
    @Bean
    @ConditionalOnMissingBean
    public LamplighterMeterBinder lamplighterEventMetrics(Lamplighter lamplighter) {
        LamplighterMeterBinder binder = new LamplighterMeterBinder();
        lamplighter.addListener(binder);
        return binder;
    }
}
