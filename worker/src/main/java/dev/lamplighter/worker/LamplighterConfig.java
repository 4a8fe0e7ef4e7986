package dev.lamplighter.worker;

import dev.lamplighter.worker.internal.config.Durations;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Every setting of a Lamplighter node. Immutable; built by {@link #builder()}, checked in
 * {@link Builder#build()}: a value out of bounds is an error that names the setting, the value and
 * the bounds, never silently clamped. The README's configuration table lists the same settings.
 */
public final class LamplighterConfig {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(60);
    public static final Duration MIN_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final Duration MAX_POLL_INTERVAL = Duration.ofHours(1);

    public static final Duration DEFAULT_LAUNCHER_RETRY_BASE = Duration.ofMinutes(2);
    public static final Duration MIN_LAUNCHER_RETRY_BASE = Duration.ofSeconds(1);
    public static final Duration MAX_LAUNCHER_RETRY_BASE = Duration.ofHours(1);

    public static final int DEFAULT_WORKER_THREADS = 4;
    public static final int MAX_WORKER_THREADS = 256;

    public static final Duration DEFAULT_WORKER_POLL_INTERVAL = Duration.ofSeconds(5);
    public static final Duration MIN_WORKER_POLL_INTERVAL = Duration.ofMillis(50);
    public static final Duration MAX_WORKER_POLL_INTERVAL = Duration.ofMinutes(5);

    public static final Duration DEFAULT_JOB_LEASE = Duration.ofMinutes(5);
    public static final Duration MIN_JOB_LEASE = Duration.ofSeconds(5);
    public static final Duration MAX_JOB_LEASE = Duration.ofHours(24);

    public static final Duration DEFAULT_JOB_RETRY_BASE = Duration.ofSeconds(10);
    public static final Duration MIN_JOB_RETRY_BASE = Duration.ofMillis(100);
    public static final Duration MAX_JOB_RETRY_BASE = Duration.ofHours(1);

    public static final Duration DEFAULT_JOB_RETRY_MAX = Duration.ofHours(1);

    public static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofMinutes(30);
    public static final Duration MIN_JOB_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration MAX_JOB_TIMEOUT = Duration.ofDays(7);

    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration MAX_SHUTDOWN_TIMEOUT = Duration.ofHours(1);

    public static final int DEFAULT_POOL_SIZE = 10;
    public static final int MIN_POOL_SIZE = 3;
    public static final int MAX_POOL_SIZE = 200;

    public static final int DEFAULT_EMBEDDED_PORT = 54329;

    public static final long DEFAULT_ADVISORY_LOCK_KEY = 0x4C414D50L; // "LAMP"

    /** The role SQL conditions run under: {@value dev.lamplighter.LaunchContext#DEFAULT_CONDITION_ROLE}. */
    public static final String DEFAULT_CONDITION_ROLE = dev.lamplighter.LaunchContext.DEFAULT_CONDITION_ROLE;

    private final String databaseUrl;
    private final Path dataDirectory;
    private final int embeddedPort;
    private final boolean migrate;
    private final boolean schedulerEnabled;
    private final Duration pollInterval;
    private final Duration launcherRetryBase;
    private final int workerThreads;
    private final Duration workerPollInterval;
    private final Duration jobLease;
    private final Duration jobRetryBase;
    private final Duration jobRetryMax;
    private final Duration jobTimeout;
    private final Duration shutdownTimeout;
    private final int poolSize;
    private final String nodeId;
    private final long advisoryLockKey;
    private final java.util.Set<String> capabilities;
    private final String conditionRole;
    private final Clock clock;

    private LamplighterConfig(Builder b) {
        this.databaseUrl = b.databaseUrl;
        this.dataDirectory = b.dataDirectory;
        this.embeddedPort = b.embeddedPort;
        this.migrate = b.migrate;
        this.schedulerEnabled = b.schedulerEnabled;
        this.pollInterval = b.pollInterval;
        this.launcherRetryBase = b.launcherRetryBase;
        this.workerThreads = b.workerThreads;
        this.workerPollInterval = b.workerPollInterval;
        this.jobLease = b.jobLease;
        this.jobRetryBase = b.jobRetryBase;
        this.jobRetryMax = b.jobRetryMax;
        this.jobTimeout = b.jobTimeout;
        this.shutdownTimeout = b.shutdownTimeout;
        this.poolSize = b.poolSize;
        this.nodeId = b.nodeId;
        this.advisoryLockKey = b.advisoryLockKey;
        this.capabilities = java.util.Set.copyOf(b.capabilities);
        this.conditionRole = b.conditionRole;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code LAMPLIGHTER_DATABASE_URL}; empty means an embedded PostgreSQL. */
    public Optional<String> databaseUrl() { return Optional.ofNullable(databaseUrl); }

    /** {@code LAMPLIGHTER_DATA_DIR}: the embedded PostgreSQL's data, kept between runs. */
    public Path dataDirectory() { return dataDirectory; }

    /** {@code LAMPLIGHTER_EMBEDDED_PORT}: the embedded server's port if free (else any free one). */
    public int embeddedPort() { return embeddedPort; }

    /** {@code LAMPLIGHTER_MIGRATE}: apply the schema migrations at start-up. */
    public boolean migrate() { return migrate; }

    /** {@code LAMPLIGHTER_SCHEDULER}: run the poll loop on this node. */
    public boolean schedulerEnabled() { return schedulerEnabled; }

    /** {@code LAMPLIGHTER_POLL_INTERVAL}: how often the poll loop looks for due schedules. */
    public Duration pollInterval() { return pollInterval; }

    /** {@code LAMPLIGHTER_LAUNCHER_RETRY_BASE}: first retry delay after a launcher failure; doubles each time. */
    public Duration launcherRetryBase() { return launcherRetryBase; }

    /** {@code LAMPLIGHTER_WORKER_THREADS}: jobs run at once on this node; 0 runs no worker. */
    public int workerThreads() { return workerThreads; }

    /** {@code LAMPLIGHTER_WORKER_POLL_INTERVAL}: how often idle workers look for jobs without a NOTIFY. */
    public Duration workerPollInterval() { return workerPollInterval; }

    /** {@code LAMPLIGHTER_JOB_LEASE}: how long a claimed job is ours before the rescuer may take it back. */
    public Duration jobLease() { return jobLease; }

    /** {@code LAMPLIGHTER_JOB_RETRY_BASE}: first retry delay of a failed job attempt; doubles each attempt. */
    public Duration jobRetryBase() { return jobRetryBase; }

    /** {@code LAMPLIGHTER_JOB_RETRY_MAX}: the longest retry delay of a failed job attempt. */
    public Duration jobRetryMax() { return jobRetryMax; }

    /**
     * {@code LAMPLIGHTER_JOB_TIMEOUT}: the time limit of one job attempt when neither the job
     * ({@code jobs.timeout_ms}) nor its handler ({@code JobHandler.timeout()}) sets one.
     */
    public Duration jobTimeout() { return jobTimeout; }

    /** {@code LAMPLIGHTER_SHUTDOWN_TIMEOUT}: how long a stopping worker waits for in-flight jobs before giving them back. */
    public Duration shutdownTimeout() { return shutdownTimeout; }

    /** {@code LAMPLIGHTER_POOL_SIZE}: database connections in this node's pool. */
    public int poolSize() { return poolSize; }

    /** {@code LAMPLIGHTER_NODE_ID}: this node's name in {@code lamplighter.nodes} and {@code jobs.locked_by}. */
    public String nodeId() { return nodeId; }

    /** The key of the poll loop's advisory lock; every node of one deployment must share it. */
    public long advisoryLockKey() { return advisoryLockKey; }

    /**
     * {@code LAMPLIGHTER_CAPABILITIES}: what this node offers to schedules that require something
     * ({@code scheduled_jobs.requires}), e.g. {@code llm,redis}. Default none.
     */
    public java.util.Set<String> capabilities() { return capabilities; }

    /**
     * {@code LAMPLIGHTER_CONDITION_ROLE}: the database role SQL conditions run under
     * ({@code SET LOCAL ROLE}), never the node's own. Default {@value #DEFAULT_CONDITION_ROLE}.
     */
    public String conditionRole() { return conditionRole; }

    /** The clock for "now"; empty means the database's clock (production). Tests set a mutable one. */
    public Optional<Clock> clock() { return Optional.ofNullable(clock); }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.databaseUrl = databaseUrl;
        b.dataDirectory = dataDirectory;
        b.embeddedPort = embeddedPort;
        b.migrate = migrate;
        b.schedulerEnabled = schedulerEnabled;
        b.pollInterval = pollInterval;
        b.launcherRetryBase = launcherRetryBase;
        b.workerThreads = workerThreads;
        b.workerPollInterval = workerPollInterval;
        b.jobLease = jobLease;
        b.jobRetryBase = jobRetryBase;
        b.jobRetryMax = jobRetryMax;
        b.jobTimeout = jobTimeout;
        b.shutdownTimeout = shutdownTimeout;
        b.poolSize = poolSize;
        b.nodeId = nodeId;
        b.advisoryLockKey = advisoryLockKey;
        b.capabilities = new java.util.TreeSet<>(capabilities);
        b.conditionRole = conditionRole;
        b.clock = clock;
        return b;
    }

    @Override
    public String toString() {
        return "database=" + (databaseUrl == null ? "embedded(" + dataDirectory + ")" : dev.lamplighter.worker.internal.db.ConnectionInfo.redact(databaseUrl))
                + ", migrate=" + migrate + ", scheduler=" + schedulerEnabled
                + ", pollInterval=" + Durations.human(pollInterval)
                + ", launcherRetryBase=" + Durations.human(launcherRetryBase)
                + ", workerThreads=" + workerThreads
                + ", workerPollInterval=" + Durations.human(workerPollInterval)
                + ", jobLease=" + Durations.human(jobLease)
                + ", jobRetryBase=" + Durations.human(jobRetryBase)
                + ", jobRetryMax=" + Durations.human(jobRetryMax)
                + ", jobTimeout=" + Durations.human(jobTimeout)
                + ", shutdownTimeout=" + Durations.human(shutdownTimeout)
                + ", poolSize=" + poolSize + ", nodeId=" + nodeId + ", conditionRole=" + conditionRole
                + (capabilities.isEmpty() ? "" : ", capabilities=" + new java.util.TreeSet<>(capabilities));
    }

    /** Builds a {@link LamplighterConfig}. */
    public static final class Builder {
        private String databaseUrl;
        private Path dataDirectory = Path.of(System.getProperty("user.home"), ".lamplighter", "pg");
        private int embeddedPort = DEFAULT_EMBEDDED_PORT;
        private boolean migrate = true;
        private boolean schedulerEnabled = true;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration launcherRetryBase = DEFAULT_LAUNCHER_RETRY_BASE;
        private int workerThreads = DEFAULT_WORKER_THREADS;
        private Duration workerPollInterval = DEFAULT_WORKER_POLL_INTERVAL;
        private Duration jobLease = DEFAULT_JOB_LEASE;
        private Duration jobRetryBase = DEFAULT_JOB_RETRY_BASE;
        private Duration jobRetryMax = DEFAULT_JOB_RETRY_MAX;
        private Duration jobTimeout = DEFAULT_JOB_TIMEOUT;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private int poolSize = DEFAULT_POOL_SIZE;
        private String nodeId = defaultNodeId();
        private long advisoryLockKey = DEFAULT_ADVISORY_LOCK_KEY;
        private java.util.Set<String> capabilities = new java.util.TreeSet<>();
        private String conditionRole = DEFAULT_CONDITION_ROLE;
        private Clock clock;

        private Builder() {
        }

        public Builder databaseUrl(String url) { this.databaseUrl = url == null || url.isBlank() ? null : url; return this; }
        public Builder dataDirectory(Path dir) { this.dataDirectory = dir; return this; }
        public Builder embeddedPort(int port) { this.embeddedPort = port; return this; }
        public Builder migrate(boolean migrate) { this.migrate = migrate; return this; }
        public Builder schedulerEnabled(boolean enabled) { this.schedulerEnabled = enabled; return this; }
        public Builder pollInterval(Duration d) { this.pollInterval = d; return this; }
        public Builder launcherRetryBase(Duration d) { this.launcherRetryBase = d; return this; }
        public Builder workerThreads(int n) { this.workerThreads = n; return this; }
        public Builder workerPollInterval(Duration d) { this.workerPollInterval = d; return this; }
        public Builder jobLease(Duration d) { this.jobLease = d; return this; }
        public Builder jobRetryBase(Duration d) { this.jobRetryBase = d; return this; }
        public Builder jobRetryMax(Duration d) { this.jobRetryMax = d; return this; }
        public Builder jobTimeout(Duration d) { this.jobTimeout = d; return this; }
        public Builder shutdownTimeout(Duration d) { this.shutdownTimeout = d; return this; }
        public Builder poolSize(int n) { this.poolSize = n; return this; }
        public Builder nodeId(String id) { this.nodeId = id; return this; }
        public Builder advisoryLockKey(long key) { this.advisoryLockKey = key; return this; }
        public Builder clock(Clock clock) { this.clock = clock; return this; }
        public Builder conditionRole(String role) { this.conditionRole = role; return this; }

        /** Adds capabilities this node offers (see {@link LamplighterConfig#capabilities()}). */
        public Builder capabilities(java.util.Collection<String> names) {
            for (String n : names) {
                if (n == null || !n.matches("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")) {
                    throw new IllegalArgumentException("capabilities (LAMPLIGHTER_CAPABILITIES) entry = \"" + n
                            + "\" is not allowed: expected 1 to 64 letters, digits, '_', '.', ':' or '-'");
                }
                capabilities.add(n);
            }
            return this;
        }

        public LamplighterConfig build() {
            within("pollInterval (LAMPLIGHTER_POLL_INTERVAL)", pollInterval, MIN_POLL_INTERVAL, MAX_POLL_INTERVAL);
            within("launcherRetryBase (LAMPLIGHTER_LAUNCHER_RETRY_BASE)", launcherRetryBase, MIN_LAUNCHER_RETRY_BASE, MAX_LAUNCHER_RETRY_BASE);
            within("workerPollInterval (LAMPLIGHTER_WORKER_POLL_INTERVAL)", workerPollInterval, MIN_WORKER_POLL_INTERVAL, MAX_WORKER_POLL_INTERVAL);
            within("jobLease (LAMPLIGHTER_JOB_LEASE)", jobLease, MIN_JOB_LEASE, MAX_JOB_LEASE);
            within("jobRetryBase (LAMPLIGHTER_JOB_RETRY_BASE)", jobRetryBase, MIN_JOB_RETRY_BASE, MAX_JOB_RETRY_BASE);
            within("jobRetryMax (LAMPLIGHTER_JOB_RETRY_MAX)", jobRetryMax, jobRetryBase, Duration.ofDays(7));
            within("jobTimeout (LAMPLIGHTER_JOB_TIMEOUT)", jobTimeout, MIN_JOB_TIMEOUT, MAX_JOB_TIMEOUT);
            within("shutdownTimeout (LAMPLIGHTER_SHUTDOWN_TIMEOUT)", shutdownTimeout, Duration.ZERO, MAX_SHUTDOWN_TIMEOUT);
            within("workerThreads (LAMPLIGHTER_WORKER_THREADS)", workerThreads, 0, MAX_WORKER_THREADS);
            within("poolSize (LAMPLIGHTER_POOL_SIZE)", poolSize, MIN_POOL_SIZE, MAX_POOL_SIZE);
            within("embeddedPort (LAMPLIGHTER_EMBEDDED_PORT)", embeddedPort, 0, 65535);
            if (nodeId == null || !nodeId.matches("[A-Za-z0-9_.:@-]{1,128}")) {
                throw new IllegalArgumentException("nodeId (LAMPLIGHTER_NODE_ID) = \"" + nodeId
                        + "\" is not allowed: expected 1 to 128 letters, digits, '_', '.', ':', '@' or '-'");
            }
            if (conditionRole == null || !conditionRole.matches("[A-Za-z_][A-Za-z0-9_$.-]{0,62}")) {
                throw new IllegalArgumentException("conditionRole (LAMPLIGHTER_CONDITION_ROLE) = "
                        + (conditionRole == null ? "null" : "\"" + conditionRole + "\"")
                        + " is not allowed: expected a role name of 1 to 63 letters, digits, '_', '$', '.' or '-',"
                        + " starting with a letter or '_'");
            }
            Objects.requireNonNull(dataDirectory, "dataDirectory (LAMPLIGHTER_DATA_DIR)");
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

        private static String defaultNodeId() {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = "node";
            }
            String id = host.replaceAll("[^A-Za-z0-9_.:-]", "-") + "-" + ProcessHandle.current().pid();
            return id.length() > 128 ? id.substring(id.length() - 128) : id;
        }
    }
}
