package dev.lamplighter.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code lamplighter.*} properties of a Spring Boot application. Defaults equal those of
 * {@code LamplighterConfig.builder()}; bounds are checked when the node is built, and a value out of
 * bounds stops the application with a message that names the property, the value and the bounds.
 */
@ConfigurationProperties("lamplighter")
public class LamplighterProperties {

    /** Whether to start a Lamplighter node in this application. */
    private boolean enabled = true;

    /** Whether to apply the schema migrations (schema lamplighter) at start-up. */
    private boolean migrate = true;

    /** Whether this node runs the poll loop (checks due schedules with their launchers). */
    private boolean schedulerEnabled = true;

    /** How often the poll loop looks for due schedules (1s to 1h). */
    private Duration pollInterval = Duration.ofSeconds(60);

    /** First retry delay after a launcher failure; doubles each time (1s to 1h). */
    private Duration launcherRetryBase = Duration.ofMinutes(2);

    /** Jobs run at once on this node (0 to 256; 0 runs no worker). */
    private int workerThreads = 4;

    /** How often idle workers look for jobs without a NOTIFY (50ms to 5m). */
    private Duration workerPollInterval = Duration.ofSeconds(5);

    /** How long a claimed job is this node's before the rescuer may take it back (5s to 24h). */
    private Duration jobLease = Duration.ofMinutes(5);

    /** First retry delay of a failed job attempt; doubles each attempt (100ms to 1h). */
    private Duration jobRetryBase = Duration.ofSeconds(10);

    /** The longest retry delay of a failed job attempt (job-retry-base to 7d). */
    private Duration jobRetryMax = Duration.ofHours(1);

    /** Time limit of one job attempt when neither the job nor its handler sets one (1s to 7d). */
    private Duration jobTimeout = Duration.ofMinutes(30);

    /** How long stopping waits for in-flight jobs before giving them back to the queue (0s to 1h). */
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    /** Whether this node runs the retention cleaner, which deletes finished jobs and decisions past their windows. */
    private boolean retention = true;

    /** How long a completed job is kept after it completed: a duration (1h to 3650d) such as 7d, or forever. */
    private String retainCompleted = "7d";

    /** How long a failed, cancelled or rejected job is kept after it ended: a duration (1h to 3650d), or forever. */
    private String retainFailed = "30d";

    /** How long a decision_log row is kept: a duration (1h to 3650d), or forever. */
    private String retainDecisions = "30d";

    /** Rows the retention cleaner deletes per transaction (10 to 10000). */
    private int retentionBatch = 1000;

    /** How often the retention cleaner runs (10s to 24h). */
    private Duration retentionInterval = Duration.ofMinutes(5);

    /** This node's name in lamplighter.nodes and jobs.locked_by; default the host name and the process id. */
    private String nodeId;

    /** What this node offers to schedules that require something (scheduled_jobs.requires), e.g. llm,redis. */
    private Set<String> capabilities = new LinkedHashSet<>();

    /** The database role SQL conditions run under (SET LOCAL ROLE), never the node's own. */
    private String conditionRole = "lamplighter_condition";

    /** Whether the node LISTENs for NOTIFYs to wake at once; false polls only (behind PgBouncer in transaction mode). */
    private boolean listen = true;

    /** The most claimed jobs kept waiting for a free worker thread, a cap (0 to 5000; default 1000, or twice worker-threads if more). */
    private Integer workerPrefetch;

    /** How long a finished job's completion waits to be written with others (0s to 1s). */
    private Duration workerCompletionFlush = Duration.ofMillis(10);

    /** The most due schedules the poll loop checks in one transaction (1 to 10000). */
    private int pollChunkSize = 500;

    /** Schedules declared in properties, by schedule name; registered like Schedule beans. */
    private Map<String, ScheduleProperties> schedules = new LinkedHashMap<>();

    /** Escalation: the webhook a disabled schedule (and, if asked, a failed job) is sent to. */
    private EscalationProperties escalation = new EscalationProperties();

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public boolean isMigrate() { return migrate; }
    public void setMigrate(boolean migrate) { this.migrate = migrate; }
    public boolean isSchedulerEnabled() { return schedulerEnabled; }
    public void setSchedulerEnabled(boolean schedulerEnabled) { this.schedulerEnabled = schedulerEnabled; }
    public Duration getPollInterval() { return pollInterval; }
    public void setPollInterval(Duration pollInterval) { this.pollInterval = pollInterval; }
    public Duration getLauncherRetryBase() { return launcherRetryBase; }
    public void setLauncherRetryBase(Duration launcherRetryBase) { this.launcherRetryBase = launcherRetryBase; }
    public int getWorkerThreads() { return workerThreads; }
    public void setWorkerThreads(int workerThreads) { this.workerThreads = workerThreads; }
    public Duration getWorkerPollInterval() { return workerPollInterval; }
    public void setWorkerPollInterval(Duration workerPollInterval) { this.workerPollInterval = workerPollInterval; }
    public Duration getJobLease() { return jobLease; }
    public void setJobLease(Duration jobLease) { this.jobLease = jobLease; }
    public Duration getJobRetryBase() { return jobRetryBase; }
    public void setJobRetryBase(Duration jobRetryBase) { this.jobRetryBase = jobRetryBase; }
    public Duration getJobRetryMax() { return jobRetryMax; }
    public void setJobRetryMax(Duration jobRetryMax) { this.jobRetryMax = jobRetryMax; }
    public Duration getJobTimeout() { return jobTimeout; }
    public void setJobTimeout(Duration jobTimeout) { this.jobTimeout = jobTimeout; }
    public Duration getShutdownTimeout() { return shutdownTimeout; }
    public void setShutdownTimeout(Duration shutdownTimeout) { this.shutdownTimeout = shutdownTimeout; }
    public boolean isRetention() { return retention; }
    public void setRetention(boolean retention) { this.retention = retention; }
    public String getRetainCompleted() { return retainCompleted; }
    public void setRetainCompleted(String retainCompleted) { this.retainCompleted = retainCompleted; }
    public String getRetainFailed() { return retainFailed; }
    public void setRetainFailed(String retainFailed) { this.retainFailed = retainFailed; }
    public String getRetainDecisions() { return retainDecisions; }
    public void setRetainDecisions(String retainDecisions) { this.retainDecisions = retainDecisions; }
    public int getRetentionBatch() { return retentionBatch; }
    public void setRetentionBatch(int retentionBatch) { this.retentionBatch = retentionBatch; }
    public Duration getRetentionInterval() { return retentionInterval; }
    public void setRetentionInterval(Duration retentionInterval) { this.retentionInterval = retentionInterval; }
    public String getNodeId() { return nodeId; }
    public void setNodeId(String nodeId) { this.nodeId = nodeId; }
    public Set<String> getCapabilities() { return capabilities; }
    public void setCapabilities(Set<String> capabilities) { this.capabilities = capabilities; }
    public String getConditionRole() { return conditionRole; }
    public void setConditionRole(String conditionRole) { this.conditionRole = conditionRole; }
    public boolean isListen() { return listen; }
    public void setListen(boolean listen) { this.listen = listen; }
    public Integer getWorkerPrefetch() { return workerPrefetch; }
    public void setWorkerPrefetch(Integer workerPrefetch) { this.workerPrefetch = workerPrefetch; }
    public Duration getWorkerCompletionFlush() { return workerCompletionFlush; }
    public void setWorkerCompletionFlush(Duration workerCompletionFlush) { this.workerCompletionFlush = workerCompletionFlush; }
    public int getPollChunkSize() { return pollChunkSize; }
    public void setPollChunkSize(int pollChunkSize) { this.pollChunkSize = pollChunkSize; }
    public Map<String, ScheduleProperties> getSchedules() { return schedules; }
    public void setSchedules(Map<String, ScheduleProperties> schedules) { this.schedules = schedules; }
    public EscalationProperties getEscalation() { return escalation; }
    public void setEscalation(EscalationProperties escalation) { this.escalation = escalation; }

    /**
     * Where the node sends what needs a human ({@code lamplighter.escalation.*}, the
     * {@code LAMPLIGHTER_ESCALATION_*} variables of a standalone node), with the defaults of
     * {@code EscalationConfig.builder()}: no webhook.
     */
    public static class EscalationProperties {

        /** An http or https URL the node POSTs a JSON document to when its tick disables a schedule; unset: none. */
        private String webhookUrl;

        /** One header sent with every POST, as Name: value (e.g. Authorization: Bearer x). */
        private String webhookHeader;

        /** Whether jobs that failed for good are sent too (needs webhook-url), at most one per job type per failed-jobs-interval. */
        private boolean failedJobs = false;

        /** At most one failed-job message per job type per this interval on each node (1m to 24h). */
        private Duration failedJobsInterval = Duration.ofMinutes(15);

        /** How long one POST may take, connection included (1s to 2m). */
        private Duration webhookTimeout = Duration.ofSeconds(10);

        /** How many times one message is tried (1 to 10). */
        private int webhookAttempts = 4;

        /** The wait before the second attempt, doubled before each further one (100ms to 5m). */
        private Duration webhookRetryBase = Duration.ofSeconds(2);

        public String getWebhookUrl() { return webhookUrl; }
        public void setWebhookUrl(String webhookUrl) { this.webhookUrl = webhookUrl; }
        public String getWebhookHeader() { return webhookHeader; }
        public void setWebhookHeader(String webhookHeader) { this.webhookHeader = webhookHeader; }
        public boolean isFailedJobs() { return failedJobs; }
        public void setFailedJobs(boolean failedJobs) { this.failedJobs = failedJobs; }
        public Duration getFailedJobsInterval() { return failedJobsInterval; }
        public void setFailedJobsInterval(Duration failedJobsInterval) { this.failedJobsInterval = failedJobsInterval; }
        public Duration getWebhookTimeout() { return webhookTimeout; }
        public void setWebhookTimeout(Duration webhookTimeout) { this.webhookTimeout = webhookTimeout; }
        public int getWebhookAttempts() { return webhookAttempts; }
        public void setWebhookAttempts(int webhookAttempts) { this.webhookAttempts = webhookAttempts; }
        public Duration getWebhookRetryBase() { return webhookRetryBase; }
        public void setWebhookRetryBase(Duration webhookRetryBase) { this.webhookRetryBase = webhookRetryBase; }
    }

    /**
     * One schedule declared in properties ({@code lamplighter.schedules.<name>.*}), with the
     * defaults of {@code Schedule.builder(name)}. Exactly one of {@code cron} and {@code every}.
     */
    public static class ScheduleProperties {

        /** 5-field UNIX cron expression, evaluated in time-zone. */
        private String cron;

        /** A fixed interval between checks, instead of cron. */
        private Duration every;

        /** IANA region id such as Europe/Berlin (not an offset). */
        private String timeZone = "UTC";

        /** The name of the launcher that checks this schedule. */
        private String launcher;

        /** The job type that a launch enqueues. */
        private String jobType;

        /** The launcher's settings (scheduled_jobs.params); numbers and true/false are stored as JSON numbers and booleans. */
        private Map<String, Object> params = new LinkedHashMap<>();

        /** Delay before the first check of a newly registered schedule. */
        private Duration initialDelay = Duration.ZERO;

        /** Consecutive launcher failures before the schedule is disabled. */
        private int maxRetries = 5;

        /** Attempts per launched job before it is marked failed. */
        private int maxAttempts = 3;

        /** Priority of launched jobs; higher runs first. */
        private int priority = 0;

        /** autonomous (jobs queue at once) or hitl (jobs wait for an operator's approval). */
        private String automation = "autonomous";

        /** Whether the schedule starts enabled when first registered. */
        private boolean enabled = true;

        /** Capabilities a node must offer to check this schedule. */
        private Set<String> requires = new LinkedHashSet<>();

        /** How late a timetable slot may still be checked; unset means no limit. */
        private Duration misfireGrace;

        public String getCron() { return cron; }
        public void setCron(String cron) { this.cron = cron; }
        public Duration getEvery() { return every; }
        public void setEvery(Duration every) { this.every = every; }
        public String getTimeZone() { return timeZone; }
        public void setTimeZone(String timeZone) { this.timeZone = timeZone; }
        public String getLauncher() { return launcher; }
        public void setLauncher(String launcher) { this.launcher = launcher; }
        public String getJobType() { return jobType; }
        public void setJobType(String jobType) { this.jobType = jobType; }
        public Map<String, Object> getParams() { return params; }
        public void setParams(Map<String, Object> params) { this.params = params; }
        public Duration getInitialDelay() { return initialDelay; }
        public void setInitialDelay(Duration initialDelay) { this.initialDelay = initialDelay; }
        public int getMaxRetries() { return maxRetries; }
        public void setMaxRetries(int maxRetries) { this.maxRetries = maxRetries; }
        public int getMaxAttempts() { return maxAttempts; }
        public void setMaxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; }
        public int getPriority() { return priority; }
        public void setPriority(int priority) { this.priority = priority; }
        public String getAutomation() { return automation; }
        public void setAutomation(String automation) { this.automation = automation; }
        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public Set<String> getRequires() { return requires; }
        public void setRequires(Set<String> requires) { this.requires = requires; }
        public Duration getMisfireGrace() { return misfireGrace; }
        public void setMisfireGrace(Duration misfireGrace) { this.misfireGrace = misfireGrace; }
    }

    // Concurrency limits per job type (lamplighter.job-types.<job type>.*).

    /**
     * Concurrency limits declared in properties, by job type; registered in lamplighter.job_types
     * at start like limits declared on the node's builder (an operator's change by SQL wins).
     */
    private Map<String, JobTypeProperties> jobTypes = new LinkedHashMap<>();

    public Map<String, JobTypeProperties> getJobTypes() { return jobTypes; }
    public void setJobTypes(Map<String, JobTypeProperties> jobTypes) { this.jobTypes = jobTypes; }

    /** One job type's limit ({@code lamplighter.job-types.<job type>.*}). */
    public static class JobTypeProperties {

        /** At most this many jobs of the type running at once across the cluster (1 or more); unset: no limit. */
        private Integer maxRunning;

        /** At most one job of the type running anywhere (overrides max-running), for jobs that touch money. */
        private boolean exclusive;

        public Integer getMaxRunning() { return maxRunning; }
        public void setMaxRunning(Integer maxRunning) { this.maxRunning = maxRunning; }
        public boolean isExclusive() { return exclusive; }
        public void setExclusive(boolean exclusive) { this.exclusive = exclusive; }
    }
}
