package dev.lamplighter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.LaunchContext;
import dev.lamplighter.Schedule;
import dev.lamplighter.worker.LamplighterConfig;
import org.junit.jupiter.api.Test;

/** The property defaults are LamplighterConfig's and Schedule's, so the metadata tells the truth. */
class LamplighterPropertiesTest {

    @Test
    void every_property_default_equals_the_node_default() {
        LamplighterProperties p = new LamplighterProperties();
        assertThat(p.isEnabled()).isTrue();
        assertThat(p.isMigrate()).isTrue();
        assertThat(p.isSchedulerEnabled()).isTrue();
        assertThat(p.getPollInterval()).isEqualTo(LamplighterConfig.DEFAULT_POLL_INTERVAL);
        assertThat(p.getLauncherRetryBase()).isEqualTo(LamplighterConfig.DEFAULT_LAUNCHER_RETRY_BASE);
        assertThat(p.getWorkerThreads()).isEqualTo(LamplighterConfig.DEFAULT_WORKER_THREADS);
        assertThat(p.getWorkerPollInterval()).isEqualTo(LamplighterConfig.DEFAULT_WORKER_POLL_INTERVAL);
        assertThat(p.getJobLease()).isEqualTo(LamplighterConfig.DEFAULT_JOB_LEASE);
        assertThat(p.getJobRetryBase()).isEqualTo(LamplighterConfig.DEFAULT_JOB_RETRY_BASE);
        assertThat(p.getJobRetryMax()).isEqualTo(LamplighterConfig.DEFAULT_JOB_RETRY_MAX);
        assertThat(p.getJobTimeout()).isEqualTo(LamplighterConfig.DEFAULT_JOB_TIMEOUT);
        assertThat(p.getShutdownTimeout()).isEqualTo(LamplighterConfig.DEFAULT_SHUTDOWN_TIMEOUT);
        assertThat(p.getConditionRole()).isEqualTo(LaunchContext.DEFAULT_CONDITION_ROLE);
        assertThat(p.getCapabilities()).isEmpty();
        assertThat(p.getNodeId()).isNull();
        assertThat(p.isListen()).isTrue();
        assertThat(p.getWorkerPrefetch()).as("unset: the default cap for the node's threads").isNull();
        assertThat(p.getWorkerCompletionFlush()).isEqualTo(LamplighterConfig.DEFAULT_WORKER_COMPLETION_FLUSH);
        assertThat(p.getPollChunkSize()).isEqualTo(LamplighterConfig.DEFAULT_POLL_CHUNK_SIZE);

        LamplighterConfig config = PropertiesMapping.config(p);
        assertThat(config.toString()).isEqualTo(LamplighterConfig.builder().nodeId(config.nodeId()).build().toString());
    }

    @Test
    void every_schedule_property_default_equals_the_schedule_builder_default() {
        LamplighterProperties.ScheduleProperties s = new LamplighterProperties.ScheduleProperties();
        Schedule defaults = Schedule.builder("x").cron("0 * * * *").launcher("L").jobType("t").build();
        assertThat(s.getTimeZone()).isEqualTo(defaults.timeZone());
        assertThat(s.getMaxRetries()).isEqualTo(defaults.maxRetries());
        assertThat(s.getMaxAttempts()).isEqualTo(defaults.maxAttempts());
        assertThat(s.getPriority()).isEqualTo(defaults.priority());
        assertThat(s.getAutomation()).isEqualTo(defaults.automation().dbValue());
        assertThat(s.isEnabled()).isEqualTo(defaults.enabled());
        assertThat(s.getInitialDelay()).isEqualTo(defaults.initialDelay());
        assertThat(s.getMisfireGrace()).isNull();
        assertThat(defaults.misfireGrace()).isEmpty();
    }

    @Test
    void a_bad_setting_names_the_spring_property() {
        assertThat(PropertiesMapping.propertyOf("jobRetryBase (LAMPLIGHTER_JOB_RETRY_BASE) = 0s is not allowed"))
                .isEqualTo("lamplighter.job-retry-base");
    }
}
