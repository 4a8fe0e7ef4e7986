package dev.lamplighter.worker;

import dev.lamplighter.worker.internal.config.Durations;
import dev.lamplighter.worker.internal.config.EnvironmentConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of one Lamplighter node. Immutable; built by {@link #builder()} (or read from
 * {@code LAMPLIGHTER_*} environment variables by {@link #fromEnvironment()}), checked in
 * {@link Builder#build()}: a value out of bounds is an {@link IllegalArgumentException} that names
 * the setting, the value and the bounds, never silently clamped. The README's configuration table
 * lists the same settings.
 *
 * <p>Where the database is, and how many connections it gets, is not a node setting: the node runs
 * on the application's own {@link javax.sql.DataSource} ({@link Lamplighter#builder}).
 */
public final class LamplighterConfig {

    /** Default {@link #pollInterval()}: 60 s. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(60);
    /** Shortest {@link #pollInterval()}: 1 s. */
    public static final Duration MIN_POLL_INTERVAL = Duration.ofSeconds(1);
    /** Longest {@link #pollInterval()}: 1 h. */
    public static final Duration MAX_POLL_INTERVAL = Duration.ofHours(1);

    /** Default {@link #launcherRetryBase()}: 2 min. */
    public static final Duration DEFAULT_LAUNCHER_RETRY_BASE = Duration.ofMinutes(2);
    /** Shortest {@link #launcherRetryBase()}: 1 s. */
    public static final Duration MIN_LAUNCHER_RETRY_BASE = Duration.ofSeconds(1);
    /** Longest {@link #launcherRetryBase()}: 1 h. */
    public static final Duration MAX_LAUNCHER_RETRY_BASE = Duration.ofHours(1);

    /** Default {@link #workerThreads()}: 4. */
    public static final int DEFAULT_WORKER_THREADS = 4;
    /** Most {@link #workerThreads()}: 256 (the fewest is 0: no worker on this node). */
    public static final int MAX_WORKER_THREADS = 256;

    /** Most {@link #workerPrefetch()}: 5000 (the fewest is 0: claim only for free threads). */
    public static final int MAX_WORKER_PREFETCH = 5000;
    /**
     * Default {@link #workerPrefetch()}: 1000, or twice the worker threads if that is more. A cap:
     * a node keeps only as many as its threads can start within 50 ms of measured job time.
     */
    public static final int DEFAULT_WORKER_PREFETCH = 1000;
    /** Default {@link #workerCompletionFlush()}: 10 ms. */
    public static final Duration DEFAULT_WORKER_COMPLETION_FLUSH = Duration.ofMillis(10);
    /** Longest {@link #workerCompletionFlush()}: 1 s (the shortest is 0: write at once). */
    public static final Duration MAX_WORKER_COMPLETION_FLUSH = Duration.ofSeconds(1);

    /** Default {@link #workerPollInterval()}: 5 s. */
    public static final Duration DEFAULT_WORKER_POLL_INTERVAL = Duration.ofSeconds(5);
    /** Shortest {@link #workerPollInterval()}: 50 ms. */
    public static final Duration MIN_WORKER_POLL_INTERVAL = Duration.ofMillis(50);
    /** Longest {@link #workerPollInterval()}: 5 min. */
    public static final Duration MAX_WORKER_POLL_INTERVAL = Duration.ofMinutes(5);

    /** Default {@link #jobLease()}: 5 min. */
    public static final Duration DEFAULT_JOB_LEASE = Duration.ofMinutes(5);
    /** Shortest {@link #jobLease()}: 5 s. */
    public static final Duration MIN_JOB_LEASE = Duration.ofSeconds(5);
    /** Longest {@link #jobLease()}: 24 h. */
    public static final Duration MAX_JOB_LEASE = Duration.ofHours(24);

    /** Default {@link #jobRetryBase()}: 10 s. */
    public static final Duration DEFAULT_JOB_RETRY_BASE = Duration.ofSeconds(10);
    /** Shortest {@link #jobRetryBase()}: 100 ms. */
    public static final Duration MIN_JOB_RETRY_BASE = Duration.ofMillis(100);
    /** Longest {@link #jobRetryBase()}: 1 h. */
    public static final Duration MAX_JOB_RETRY_BASE = Duration.ofHours(1);

    /** Default {@link #jobRetryMax()}: 1 h (bounds: the retry base to {@link #MAX_JOB_RETRY_MAX}). */
    public static final Duration DEFAULT_JOB_RETRY_MAX = Duration.ofHours(1);
    /** Longest {@link #jobRetryMax()}: 7 days. */
    public static final Duration MAX_JOB_RETRY_MAX = Duration.ofDays(7);

    /** Default {@link #jobTimeout()}: 30 min. */
    public static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofMinutes(30);
    /** Shortest {@link #jobTimeout()}: 1 s. */
    public static final Duration MIN_JOB_TIMEOUT = Duration.ofSeconds(1);
    /** Longest {@link #jobTimeout()}: 7 days. */
    public static final Duration MAX_JOB_TIMEOUT = Duration.ofDays(7);

    /** Default {@link #shutdownTimeout()}: 30 s (the shortest is 0: release in-flight jobs at once). */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    /** Longest {@link #shutdownTimeout()}: 1 h. */
    public static final Duration MAX_SHUTDOWN_TIMEOUT = Duration.ofHours(1);

    /** Default {@link #pollChunkSize()}: 500 due schedules per transaction. */
    public static final int DEFAULT_POLL_CHUNK_SIZE = 500;
    /** Most {@link #pollChunkSize()}: 10,000 (the fewest is 1: each schedule in a transaction of its own). */
    public static final int MAX_POLL_CHUNK_SIZE = 10_000;
    /**
     * A retention window that keeps rows of its kind forever (written {@code forever} in the
     * environment and in Spring properties): the cleaner deletes nothing of that kind.
     */
    public static final Duration RETAIN_FOREVER = ChronoUnit.FOREVER.getDuration();
    /** Default {@link #retainCompleted()}: 7 days. */
    public static final Duration DEFAULT_RETAIN_COMPLETED = Duration.ofDays(7);
    /** Default {@link #retainFailed()}: 30 days. */
    public static final Duration DEFAULT_RETAIN_FAILED = Duration.ofDays(30);
    /** Default {@link #retainDecisions()}: 30 days. */
    public static final Duration DEFAULT_RETAIN_DECISIONS = Duration.ofDays(30);
    /** Shortest retention window: 1 h. */
    public static final Duration MIN_RETENTION_WINDOW = Duration.ofHours(1);
    /** Longest retention window short of {@link #RETAIN_FOREVER}: 3650 days. */
    public static final Duration MAX_RETENTION_WINDOW = Duration.ofDays(3650);
    /** Default {@link #retentionBatch()}: 1000 rows. */
    public static final int DEFAULT_RETENTION_BATCH = 1000;
    /** Fewest {@link #retentionBatch()}: 10 rows. */
    public static final int MIN_RETENTION_BATCH = 10;
    /** Most {@link #retentionBatch()}: 10,000 rows. */
    public static final int MAX_RETENTION_BATCH = 10_000;
    /** Default {@link #retentionInterval()}: 5 min. */
    public static final Duration DEFAULT_RETENTION_INTERVAL = Duration.ofMinutes(5);
    /** Shortest {@link #retentionInterval()}: 10 s. */
    public static final Duration MIN_RETENTION_INTERVAL = Duration.ofSeconds(10);
    /** Longest {@link #retentionInterval()}: 24 h. */
    public static final Duration MAX_RETENTION_INTERVAL = Duration.ofHours(24);

    /** Default {@link #advisoryLockKey()}: the bytes of "LAMP". */
    public static final long DEFAULT_ADVISORY_LOCK_KEY = 0x4C414D50L;

    /** The role SQL conditions run under: {@value dev.lamplighter.LaunchContext#DEFAULT_CONDITION_ROLE}. */
    public static final String DEFAULT_CONDITION_ROLE = dev.lamplighter.LaunchContext.DEFAULT_CONDITION_ROLE;

    private final boolean migrate;
    private final boolean schedulerEnabled;
    private final Duration pollInterval;
    private final Duration launcherRetryBase;
    private final int workerThreads;
    private final Duration workerPollInterval;
    private final int workerPrefetch;
    private final Duration workerCompletionFlush;
    private final Duration jobLease;
    private final Duration jobRetryBase;
    private final Duration jobRetryMax;
    private final Duration jobTimeout;
    private final Duration shutdownTimeout;
    private final boolean retention;
    private final Duration retainCompleted;
    private final Duration retainFailed;
    private final Duration retainDecisions;
    private final int retentionBatch;
    private final Duration retentionInterval;
    private final String nodeId;
    private final long advisoryLockKey;
    private final Set<String> capabilities;
    private final String conditionRole;
    private final boolean listen;
    private final int pollChunkSize;
    private final Clock clock;
    private final dev.lamplighter.worker.escalation.EscalationConfig escalation;

    private LamplighterConfig(Builder b) {
        this.migrate = b.migrate;
        this.schedulerEnabled = b.schedulerEnabled;
        this.pollInterval = b.pollInterval;
        this.launcherRetryBase = b.launcherRetryBase;
        this.workerThreads = b.workerThreads;
        this.workerPollInterval = b.workerPollInterval;
        this.workerPrefetch = b.workerPrefetch == null ? defaultWorkerPrefetch(b.workerThreads) : b.workerPrefetch;
        this.workerCompletionFlush = b.workerCompletionFlush;
        this.jobLease = b.jobLease;
        this.jobRetryBase = b.jobRetryBase;
        this.jobRetryMax = b.jobRetryMax;
        this.jobTimeout = b.jobTimeout;
        this.shutdownTimeout = b.shutdownTimeout;
        this.retention = b.retention;
        this.retainCompleted = b.retainCompleted;
        this.retainFailed = b.retainFailed;
        this.retainDecisions = b.retainDecisions;
        this.retentionBatch = b.retentionBatch;
        this.retentionInterval = b.retentionInterval;
        this.nodeId = b.nodeId;
        this.advisoryLockKey = b.advisoryLockKey;
        this.capabilities = Set.copyOf(b.capabilities);
        this.conditionRole = b.conditionRole;
        this.listen = b.listen;
        this.pollChunkSize = b.pollChunkSize;
        this.clock = b.clock;
        this.escalation = b.escalation;
    }

    /**
     * A builder with every setting at its default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The settings in the process's {@code LAMPLIGHTER_*} environment variables; an unset or blank
     * variable keeps the default. An option for services configured that way, never a requirement.
     *
     * @return the checked settings
     * @throws IllegalArgumentException naming the variable, the value and what is allowed
     */
    public static LamplighterConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * The settings in the given {@code LAMPLIGHTER_*} variables (as {@link #fromEnvironment()}).
     *
     * @param environment variable names to values, e.g. {@code System.getenv()}
     * @return the checked settings
     * @throws IllegalArgumentException naming the variable, the value and what is allowed
     */
    public static LamplighterConfig fromEnvironment(Map<String, String> environment) {
        return EnvironmentConfig.fromEnvironment(environment).build();
    }

    /**
     * {@code LAMPLIGHTER_MIGRATE}: apply the schema migrations at start; default true.
     *
     * @return whether {@link Lamplighter#start()} migrates
     */
    public boolean migrate() { return migrate; }

    /**
     * {@code LAMPLIGHTER_SCHEDULER}: run the poll loop (the launchers) on this node; default true.
     *
     * @return whether this node checks schedules
     */
    public boolean schedulerEnabled() { return schedulerEnabled; }

    /**
     * {@code LAMPLIGHTER_POLL_INTERVAL}: how often the poll loop looks for due schedules (a NOTIFY
     * wakes it sooner); default 60 s, 1 s to 1 h.
     *
     * @return the poll interval
     */
    public Duration pollInterval() { return pollInterval; }

    /**
     * {@code LAMPLIGHTER_LAUNCHER_RETRY_BASE}: first retry delay after a launcher failure, doubled
     * each time; default 2 min, 1 s to 1 h.
     *
     * @return the launcher retry base
     */
    public Duration launcherRetryBase() { return launcherRetryBase; }

    /**
     * {@code LAMPLIGHTER_WORKER_THREADS}: jobs run at once on this node; default 4, 0 to 256 (0 runs
     * no worker).
     *
     * @return the number of worker threads
     */
    public int workerThreads() { return workerThreads; }

    /**
     * {@code LAMPLIGHTER_WORKER_POLL_INTERVAL}: how often idle workers look for jobs without a
     * NOTIFY; default 5 s, 50 ms to 5 min.
     *
     * @return the worker poll interval
     */
    public Duration workerPollInterval() { return workerPollInterval; }

    /**
     * {@code LAMPLIGHTER_WORKER_PREFETCH}: the most claimed jobs a node keeps waiting for a free
     * thread, so that a thread never waits for a claim's round trip; default 1000 (or twice the
     * worker threads if more), 0 to 5000. Below the cap the node keeps what its threads can start
     * within 50 ms, from the measured run time of its jobs: fast jobs are claimed in large batches,
     * slow ones hardly beyond the free threads. Waiting jobs hold a lease like running ones (the
     * heartbeat extends it) and go back to the queue, their attempt not counted, when the node stops.
     *
     * @return the number of prefetched jobs
     */
    public int workerPrefetch() { return workerPrefetch; }

    /**
     * {@code LAMPLIGHTER_WORKER_COMPLETION_FLUSH}: how long a finished job's outcome waits to be
     * written together with others' (one statement, one transaction per batch); default 10 ms, 0
     * (write at once what is there) to 1 s.
     *
     * @return the completion flush interval
     */
    public Duration workerCompletionFlush() { return workerCompletionFlush; }

    /**
     * The default {@link #workerPrefetch()} for {@code threads}: {@link #DEFAULT_WORKER_PREFETCH}, or
     * twice the threads if more, at most {@link #MAX_WORKER_PREFETCH}.
     *
     * @param threads the worker threads
     * @return the default prefetch
     */
    public static int defaultWorkerPrefetch(int threads) {
        return Math.min(MAX_WORKER_PREFETCH, Math.max(DEFAULT_WORKER_PREFETCH, 2 * Math.max(0, threads)));
    }

    /**
     * {@code LAMPLIGHTER_JOB_LEASE}: how long a claimed job is this node's before the rescuer may
     * take it back (the heartbeat extends it); default 5 min, 5 s to 24 h.
     *
     * @return the job lease
     */
    public Duration jobLease() { return jobLease; }

    /**
     * {@code LAMPLIGHTER_JOB_RETRY_BASE}: first retry delay of a failed job attempt, doubled each
     * attempt; default 10 s, 100 ms to 1 h.
     *
     * @return the job retry base
     */
    public Duration jobRetryBase() { return jobRetryBase; }

    /**
     * {@code LAMPLIGHTER_JOB_RETRY_MAX}: the longest retry delay of a failed job attempt; default
     * 1 h, from the job retry base to 7 days.
     *
     * @return the longest job retry delay
     */
    public Duration jobRetryMax() { return jobRetryMax; }

    /**
     * {@code LAMPLIGHTER_JOB_TIMEOUT}: the time limit of one job attempt when neither the job
     * ({@code jobs.timeout_ms}) nor its handler ({@code JobHandler.timeout()}) sets one; default
     * 30 min, 1 s to 7 days.
     *
     * @return the default job timeout
     */
    public Duration jobTimeout() { return jobTimeout; }

    /**
     * {@code LAMPLIGHTER_SHUTDOWN_TIMEOUT}: how long {@link Lamplighter#close()} waits for in-flight
     * jobs before giving them back to the queue; default 30 s, 0 s to 1 h.
     *
     * @return the shutdown timeout
     */
    public Duration shutdownTimeout() { return shutdownTimeout; }

    /**
     * {@code LAMPLIGHTER_RETENTION}: whether this node runs the retention cleaner, which deletes
     * finished jobs and decision-log rows past their windows; default true. With false on every
     * node nothing is ever deleted; a window of {@link #RETAIN_FOREVER} keeps one kind.
     *
     * @return whether this node runs the retention cleaner
     */
    public boolean retention() { return retention; }

    /**
     * {@code LAMPLIGHTER_RETAIN_COMPLETED}: how long a {@code completed} job is kept after its
     * {@code completed_at}; default 7 days, 1 h to 3650 days, or {@link #RETAIN_FOREVER}.
     *
     * @return the retention window of completed jobs
     */
    public Duration retainCompleted() { return retainCompleted; }

    /**
     * {@code LAMPLIGHTER_RETAIN_FAILED}: how long a {@code failed}, {@code cancelled} or
     * {@code rejected} job is kept after its {@code completed_at}; default 30 days, 1 h to 3650
     * days, or {@link #RETAIN_FOREVER}.
     *
     * @return the retention window of failed, cancelled and rejected jobs
     */
    public Duration retainFailed() { return retainFailed; }

    /**
     * {@code LAMPLIGHTER_RETAIN_DECISIONS}: how long a {@code decision_log} row is kept after its
     * {@code decided_at}; default 30 days, 1 h to 3650 days, or {@link #RETAIN_FOREVER}.
     *
     * @return the retention window of the decision log
     */
    public Duration retainDecisions() { return retainDecisions; }

    /**
     * {@code LAMPLIGHTER_RETENTION_BATCH}: rows the cleaner deletes per transaction; default 1000,
     * 10 to 10,000.
     *
     * @return the retention batch size
     */
    public int retentionBatch() { return retentionBatch; }

    /**
     * {@code LAMPLIGHTER_RETENTION_INTERVAL}: how often the cleaner runs; default 5 min, 10 s to
     * 24 h.
     *
     * @return the retention interval
     */
    public Duration retentionInterval() { return retentionInterval; }

    /**
     * {@code LAMPLIGHTER_NODE_ID}: this node's name in {@code lamplighter.nodes} and
     * {@code jobs.locked_by}; default {@code <hostname>-<pid>}, 1 to 128 of {@code A-Za-z0-9_.:@-}.
     * Two nodes in one JVM need two ids: a node whose id a running node of the JVM holds is
     * refused at {@link Lamplighter#start()}.
     *
     * @return the node id
     */
    public String nodeId() { return nodeId; }

    /**
     * The key of the poll loop's advisory lock; every node of one deployment must share it.
     * Default {@link #DEFAULT_ADVISORY_LOCK_KEY}; any long.
     *
     * @return the advisory lock key
     */
    public long advisoryLockKey() { return advisoryLockKey; }

    /**
     * {@code LAMPLIGHTER_CAPABILITIES}: what this node offers to schedules that require something
     * ({@code scheduled_jobs.requires}), e.g. {@code llm,redis}; default none.
     *
     * @return the capabilities, unmodifiable
     */
    public Set<String> capabilities() { return capabilities; }

    /**
     * {@code LAMPLIGHTER_CONDITION_ROLE}: the database role SQL conditions run under
     * ({@code SET LOCAL ROLE}), never the node's own; default {@value #DEFAULT_CONDITION_ROLE}.
     *
     * @return the condition role
     */
    public String conditionRole() { return conditionRole; }

    /**
     * {@code LAMPLIGHTER_LISTEN}: whether the node holds a connection that LISTENs for NOTIFYs, so
     * that the poll loop and idle workers wake at once when a schedule changes or a job is queued;
     * default true. Off, the node opens no LISTEN connection and relies on polling alone (every
     * {@link #pollInterval()} for schedules, every {@link #workerPollInterval()} for idle workers):
     * for nodes behind PgBouncer in transaction mode, where LISTEN cannot work.
     *
     * @return whether the node listens for notifications
     */
    public boolean listen() { return listen; }

    /**
     * {@code LAMPLIGHTER_POLL_CHUNK_SIZE}: the most due schedules the poll loop checks in one
     * transaction (a tick of more checks them in several); default {@value #DEFAULT_POLL_CHUNK_SIZE},
     * 1 to {@value #MAX_POLL_CHUNK_SIZE} (1: each schedule in a transaction of its own).
     *
     * @return the due schedules checked per transaction
     */
    public int pollChunkSize() { return pollChunkSize; }

    /**
     * The clock for "now"; empty (the default) means the database's clock, as in production.
     * Tests set a clock of their own.
     *
     * @return the clock, if one was set
     */
    public Optional<Clock> clock() { return Optional.ofNullable(clock); }

    /**
     * Where the node sends what needs a human ({@code LAMPLIGHTER_ESCALATION_*}, see
     * {@link dev.lamplighter.worker.escalation.EscalationConfig}); default
     * {@link dev.lamplighter.worker.escalation.EscalationConfig#none()}.
     *
     * @return the escalation settings
     */
    public dev.lamplighter.worker.escalation.EscalationConfig escalation() { return escalation; }

    /**
     * A builder holding these settings, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.migrate = migrate;
        b.schedulerEnabled = schedulerEnabled;
        b.pollInterval = pollInterval;
        b.launcherRetryBase = launcherRetryBase;
        b.workerThreads = workerThreads;
        b.workerPollInterval = workerPollInterval;
        b.workerPrefetch = workerPrefetch;
        b.workerCompletionFlush = workerCompletionFlush;
        b.jobLease = jobLease;
        b.jobRetryBase = jobRetryBase;
        b.jobRetryMax = jobRetryMax;
        b.jobTimeout = jobTimeout;
        b.shutdownTimeout = shutdownTimeout;
        b.retention = retention;
        b.retainCompleted = retainCompleted;
        b.retainFailed = retainFailed;
        b.retainDecisions = retainDecisions;
        b.retentionBatch = retentionBatch;
        b.retentionInterval = retentionInterval;
        b.nodeId = nodeId;
        b.advisoryLockKey = advisoryLockKey;
        b.capabilities = new TreeSet<>(capabilities);
        b.conditionRole = conditionRole;
        b.listen = listen;
        b.pollChunkSize = pollChunkSize;
        b.clock = clock;
        b.escalation = escalation;
        return b;
    }

    /** The settings in one line, as the node logs them at start. */
    @Override
    public String toString() {
        return "migrate=" + migrate + ", scheduler=" + schedulerEnabled
                + ", pollInterval=" + Durations.human(pollInterval)
                + ", launcherRetryBase=" + Durations.human(launcherRetryBase)
                + ", workerThreads=" + workerThreads
                + ", workerPollInterval=" + Durations.human(workerPollInterval)
                + ", workerPrefetch=" + workerPrefetch
                + ", workerCompletionFlush=" + Durations.human(workerCompletionFlush)
                + ", jobLease=" + Durations.human(jobLease)
                + ", jobRetryBase=" + Durations.human(jobRetryBase)
                + ", jobRetryMax=" + Durations.human(jobRetryMax)
                + ", jobTimeout=" + Durations.human(jobTimeout)
                + ", shutdownTimeout=" + Durations.human(shutdownTimeout)
                + ", retention=" + retention + ", retainCompleted=" + window(retainCompleted)
                + ", retainFailed=" + window(retainFailed) + ", retainDecisions=" + window(retainDecisions)
                + ", retentionBatch=" + retentionBatch + ", retentionInterval=" + Durations.human(retentionInterval)
                + ", nodeId=" + nodeId + ", conditionRole=" + conditionRole
                + ", listen=" + listen + ", pollChunkSize=" + pollChunkSize
                + (capabilities.isEmpty() ? "" : ", capabilities=" + new TreeSet<>(capabilities))
                + (escalation.enabled() ? ", escalation=" + escalation : "");
    }

    private static String window(Duration d) {
        return RETAIN_FOREVER.equals(d) ? "forever" : Durations.human(d);
    }

    /**
     * Builds a {@link LamplighterConfig}. Each setter takes any value; {@link #build()} checks them
     * all. Defaults and bounds are on the matching accessor of {@link LamplighterConfig}.
     */
    public static final class Builder {
        private boolean migrate = true;
        private boolean schedulerEnabled = true;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration launcherRetryBase = DEFAULT_LAUNCHER_RETRY_BASE;
        private int workerThreads = DEFAULT_WORKER_THREADS;
        private Duration workerPollInterval = DEFAULT_WORKER_POLL_INTERVAL;
        private Integer workerPrefetch;
        private Duration workerCompletionFlush = DEFAULT_WORKER_COMPLETION_FLUSH;
        private Duration jobLease = DEFAULT_JOB_LEASE;
        private Duration jobRetryBase = DEFAULT_JOB_RETRY_BASE;
        private Duration jobRetryMax = DEFAULT_JOB_RETRY_MAX;
        private Duration jobTimeout = DEFAULT_JOB_TIMEOUT;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private boolean retention = true;
        private Duration retainCompleted = DEFAULT_RETAIN_COMPLETED;
        private Duration retainFailed = DEFAULT_RETAIN_FAILED;
        private Duration retainDecisions = DEFAULT_RETAIN_DECISIONS;
        private int retentionBatch = DEFAULT_RETENTION_BATCH;
        private Duration retentionInterval = DEFAULT_RETENTION_INTERVAL;
        private String nodeId = defaultNodeId();
        private long advisoryLockKey = DEFAULT_ADVISORY_LOCK_KEY;
        private Set<String> capabilities = new TreeSet<>();
        private String conditionRole = DEFAULT_CONDITION_ROLE;
        private boolean listen = true;
        private int pollChunkSize = DEFAULT_POLL_CHUNK_SIZE;
        private Clock clock;
        private dev.lamplighter.worker.escalation.EscalationConfig escalation =
                dev.lamplighter.worker.escalation.EscalationConfig.none();

        private Builder() {
        }

        /**
         * Sets {@link LamplighterConfig#migrate()}.
         *
         * @param migrate the value
         * @return this builder
         */
        public Builder migrate(boolean migrate) { this.migrate = migrate; return this; }

        /**
         * Sets {@link LamplighterConfig#schedulerEnabled()}.
         *
         * @param enabled the value
         * @return this builder
         */
        public Builder schedulerEnabled(boolean enabled) { this.schedulerEnabled = enabled; return this; }

        /**
         * Sets {@link LamplighterConfig#pollInterval()}.
         *
         * @param d the value
         * @return this builder
         */
        public Builder pollInterval(Duration d) { this.pollInterval = d; return this; }

        /**
         * Sets {@link LamplighterConfig#launcherRetryBase()}.
         *
         * @param d the value
         * @return this builder
         */
        public Builder launcherRetryBase(Duration d) { this.launcherRetryBase = d; return this; }

        /**
         * Sets {@link LamplighterConfig#workerThreads()}.
         *
         * @param n the value
         * @return this builder
         */
        public Builder workerThreads(int n) { this.workerThreads = n; return this; }

        /**
         * Sets {@link LamplighterConfig#workerPollInterval()}.
         *
         * @param d the value
         * @return this builder
         */
        public Builder workerPollInterval(Duration d) { this.workerPollInterval = d; return this; }

        /**
         * Sets {@link LamplighterConfig#workerPrefetch()}.
         *
         * @param n claimed jobs kept waiting for a thread
         * @return this builder
         */
        public Builder workerPrefetch(int n) { this.workerPrefetch = n; return this; }

        /**
         * Sets {@link LamplighterConfig#workerCompletionFlush()}.
         *
         * @param d the completion flush interval
         * @return this builder
         */
        public Builder workerCompletionFlush(Duration d) { this.workerCompletionFlush = d; return this; }

        /**
         * Sets {@link LamplighterConfig#jobLease()}.
         *
         * @param d the value
         * @return this builder
         */
        public Builder jobLease(Duration d) { this.jobLease = d; return this; }

        /**
         * Sets {@link LamplighterConfig#jobRetryBase()}.
         *
         * @param d the value
         * @return this builder
         */
        public Builder jobRetryBase(Duration d) { this.jobRetryBase = d; return this; }

        /**
         * Sets {@link LamplighterConfig#jobRetryMax()}.
         *
         * @param d the value
         * @return this builder
         */
        public Builder jobRetryMax(Duration d) { this.jobRetryMax = d; return this; }

        /**
         * Sets {@link LamplighterConfig#jobTimeout()}.
         *
         * @param d the value
         * @return this builder
         */
        public Builder jobTimeout(Duration d) { this.jobTimeout = d; return this; }

        /**
         * Sets {@link LamplighterConfig#shutdownTimeout()}.
         *
         * @param d the value
         * @return this builder
         */
        public Builder shutdownTimeout(Duration d) { this.shutdownTimeout = d; return this; }

        /**
         * Sets {@link LamplighterConfig#retention()}.
         *
         * @param enabled whether this node runs the retention cleaner
         * @return this builder
         */
        public Builder retention(boolean enabled) { this.retention = enabled; return this; }

        /**
         * Sets {@link LamplighterConfig#retainCompleted()}.
         *
         * @param d the window, or {@link LamplighterConfig#RETAIN_FOREVER}
         * @return this builder
         */
        public Builder retainCompleted(Duration d) { this.retainCompleted = d; return this; }

        /**
         * Sets {@link LamplighterConfig#retainFailed()}.
         *
         * @param d the window, or {@link LamplighterConfig#RETAIN_FOREVER}
         * @return this builder
         */
        public Builder retainFailed(Duration d) { this.retainFailed = d; return this; }

        /**
         * Sets {@link LamplighterConfig#retainDecisions()}.
         *
         * @param d the window, or {@link LamplighterConfig#RETAIN_FOREVER}
         * @return this builder
         */
        public Builder retainDecisions(Duration d) { this.retainDecisions = d; return this; }

        /**
         * Sets {@link LamplighterConfig#retentionBatch()}.
         *
         * @param rows rows deleted per transaction
         * @return this builder
         */
        public Builder retentionBatch(int rows) { this.retentionBatch = rows; return this; }

        /**
         * Sets {@link LamplighterConfig#retentionInterval()}.
         *
         * @param d how often the cleaner runs
         * @return this builder
         */
        public Builder retentionInterval(Duration d) { this.retentionInterval = d; return this; }

        /**
         * Sets {@link LamplighterConfig#nodeId()}.
         *
         * @param id the value
         * @return this builder
         */
        public Builder nodeId(String id) { this.nodeId = id; return this; }

        /**
         * Sets {@link LamplighterConfig#advisoryLockKey()}.
         *
         * @param key the value
         * @return this builder
         */
        public Builder advisoryLockKey(long key) { this.advisoryLockKey = key; return this; }

        /**
         * Sets {@link LamplighterConfig#clock()}.
         *
         * @param clock a clock for "now"; null for the database's clock
         * @return this builder
         */
        public Builder clock(Clock clock) { this.clock = clock; return this; }

        /**
         * Sets {@link LamplighterConfig#escalation()}.
         *
         * @param escalation checked escalation settings
         * @return this builder
         */
        public Builder escalation(dev.lamplighter.worker.escalation.EscalationConfig escalation) {
            this.escalation = Objects.requireNonNull(escalation, "escalation");
            return this;
        }

        /**
         * Sets {@link LamplighterConfig#conditionRole()}.
         *
         * @param role the value
         * @return this builder
         */
        public Builder conditionRole(String role) { this.conditionRole = role; return this; }

        /**
         * Sets {@link LamplighterConfig#listen()}.
         *
         * @param listen false for nodes behind PgBouncer in transaction mode (polling only)
         * @return this builder
         */
        public Builder listen(boolean listen) { this.listen = listen; return this; }

        /**
         * Sets {@link LamplighterConfig#pollChunkSize()}.
         *
         * @param size due schedules checked per transaction
         * @return this builder
         */
        public Builder pollChunkSize(int size) { this.pollChunkSize = size; return this; }

        /**
         * Adds capabilities this node offers (see {@link LamplighterConfig#capabilities()}).
         *
         * @param names 1 to 64 letters, digits, '_', '.', ':' or '-' each
         * @return this builder
         * @throws IllegalArgumentException naming the entry that is not allowed
         */
        public Builder capabilities(Collection<String> names) {
            for (String n : names) {
                if (n == null || !n.matches("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")) {
                    throw new IllegalArgumentException("capabilities (LAMPLIGHTER_CAPABILITIES) entry = \"" + n
                            + "\" is not allowed: expected 1 to 64 letters, digits, '_', '.', ':' or '-'");
                }
                capabilities.add(n);
            }
            return this;
        }

        /**
         * Checks every setting and builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the setting, its value and what is allowed
         */
        public LamplighterConfig build() {
            within("pollInterval (LAMPLIGHTER_POLL_INTERVAL)", pollInterval, MIN_POLL_INTERVAL, MAX_POLL_INTERVAL);
            within("launcherRetryBase (LAMPLIGHTER_LAUNCHER_RETRY_BASE)", launcherRetryBase, MIN_LAUNCHER_RETRY_BASE, MAX_LAUNCHER_RETRY_BASE);
            within("workerPollInterval (LAMPLIGHTER_WORKER_POLL_INTERVAL)", workerPollInterval, MIN_WORKER_POLL_INTERVAL, MAX_WORKER_POLL_INTERVAL);
            within("jobLease (LAMPLIGHTER_JOB_LEASE)", jobLease, MIN_JOB_LEASE, MAX_JOB_LEASE);
            within("jobRetryBase (LAMPLIGHTER_JOB_RETRY_BASE)", jobRetryBase, MIN_JOB_RETRY_BASE, MAX_JOB_RETRY_BASE);
            within("jobRetryMax (LAMPLIGHTER_JOB_RETRY_MAX)", jobRetryMax,
                    jobRetryBase == null ? MIN_JOB_RETRY_BASE : jobRetryBase, MAX_JOB_RETRY_MAX);
            within("jobTimeout (LAMPLIGHTER_JOB_TIMEOUT)", jobTimeout, MIN_JOB_TIMEOUT, MAX_JOB_TIMEOUT);
            within("shutdownTimeout (LAMPLIGHTER_SHUTDOWN_TIMEOUT)", shutdownTimeout, Duration.ZERO, MAX_SHUTDOWN_TIMEOUT);
            retentionWindow("retainCompleted (LAMPLIGHTER_RETAIN_COMPLETED)", retainCompleted);
            retentionWindow("retainFailed (LAMPLIGHTER_RETAIN_FAILED)", retainFailed);
            retentionWindow("retainDecisions (LAMPLIGHTER_RETAIN_DECISIONS)", retainDecisions);
            within("retentionBatch (LAMPLIGHTER_RETENTION_BATCH)", retentionBatch, MIN_RETENTION_BATCH, MAX_RETENTION_BATCH);
            within("retentionInterval (LAMPLIGHTER_RETENTION_INTERVAL)", retentionInterval, MIN_RETENTION_INTERVAL,
                    MAX_RETENTION_INTERVAL);
            within("workerThreads (LAMPLIGHTER_WORKER_THREADS)", workerThreads, 0, MAX_WORKER_THREADS);
            if (workerPrefetch != null) {
                within("workerPrefetch (LAMPLIGHTER_WORKER_PREFETCH)", workerPrefetch, 0, MAX_WORKER_PREFETCH);
            }
            within("workerCompletionFlush (LAMPLIGHTER_WORKER_COMPLETION_FLUSH)", workerCompletionFlush, Duration.ZERO,
                    MAX_WORKER_COMPLETION_FLUSH);
            within("pollChunkSize (LAMPLIGHTER_POLL_CHUNK_SIZE)", pollChunkSize, 1, MAX_POLL_CHUNK_SIZE);
            if (nodeId == null || !nodeId.matches("[A-Za-z0-9_.:@-]{1,128}")) {
                throw new IllegalArgumentException("nodeId (LAMPLIGHTER_NODE_ID) = "
                        + (nodeId == null ? "null" : "\"" + nodeId + "\"")
                        + " is not allowed: expected 1 to 128 letters, digits, '_', '.', ':', '@' or '-'");
            }
            if (conditionRole == null || !conditionRole.matches("[A-Za-z_][A-Za-z0-9_$.-]{0,62}")) {
                throw new IllegalArgumentException("conditionRole (LAMPLIGHTER_CONDITION_ROLE) = "
                        + (conditionRole == null ? "null" : "\"" + conditionRole + "\"")
                        + " is not allowed: expected a role name of 1 to 63 letters, digits, '_', '$', '.' or '-',"
                        + " starting with a letter or '_'");
            }
            return new LamplighterConfig(this);
        }

        private static void within(String setting, Duration value, Duration min, Duration max) {
            if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(setting + " = " + (value == null ? "null" : Durations.human(value))
                        + " is not allowed: expected from " + Durations.human(min) + " to " + Durations.human(max));
            }
        }

        private static void within(String setting, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(setting + " = " + value + " is not allowed: expected from " + min + " to " + max);
            }
        }

        private static void retentionWindow(String setting, Duration value) {
            if (RETAIN_FOREVER.equals(value)) {
                return;
            }
            if (value == null || value.compareTo(MIN_RETENTION_WINDOW) < 0 || value.compareTo(MAX_RETENTION_WINDOW) > 0) {
                String shown = value == null ? "null"
                        : value.compareTo(MAX_RETENTION_WINDOW) > 0 ? value.toDays() + "d" : Durations.human(value);
                throw new IllegalArgumentException(setting + " = " + shown
                        + " is not allowed: expected from " + Durations.human(MIN_RETENTION_WINDOW) + " to "
                        + MAX_RETENTION_WINDOW.toDays() + "d, or forever (RETAIN_FOREVER) to keep them");
            }
        }

        private static String defaultNodeId() {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = "node";
            }
            String id = host.replaceAll("[^A-Za-z0-9_.:-]", "-") + "-" + ProcessHandle.current().pid();
            return Objects.requireNonNull(id.length() > 128 ? id.substring(id.length() - 128) : id);
        }
    }
}
