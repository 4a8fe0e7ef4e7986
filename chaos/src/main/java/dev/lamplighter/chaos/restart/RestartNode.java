package dev.lamplighter.chaos.restart;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lamplighter.Schedule;
import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.events.LamplighterListener;
import java.time.Duration;
import java.util.Objects;

/**
 * One Lamplighter node of the fault programs, on a HikariCP pool of its own (as a separate
 * process has), with the {@link AlwaysLaunch} schedules and the {@link RecordingHandler}.
 */
public final class RestartNode implements AutoCloseable {

    /** Names of the programs' schedules start with this. */
    public static final String SCHEDULE_PREFIX = "chaos-restart-";

    /**
     * What a node runs.
     *
     * @param jdbcUrl the database
     * @param user its user
     * @param password its password, or null
     * @param nodeId the node's id; its pool's connections carry it as {@code application_name}
     * @param threads worker threads (0: no worker)
     * @param scheduler whether the node runs the poll loop
     * @param schedules how many {@link AlwaysLaunch} schedules it declares
     * @param every their interval
     * @param workMs the work of each launched job, in milliseconds
     * @param pollInterval the poll loop's interval
     */
    public record Settings(String jdbcUrl, String user, String password, String nodeId, int threads, boolean scheduler,
                           int schedules, Duration every, long workMs, Duration pollInterval) {
        /** Checks the settings. */
        public Settings {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            Objects.requireNonNull(nodeId, "nodeId");
        }
    }

    private final HikariDataSource pool;
    private final Lamplighter node;

    private RestartNode(HikariDataSource pool, Lamplighter node) {
        this.pool = pool;
        this.node = node;
    }

    /**
     * Starts a node (migrating the schema if needed).
     *
     * @param s what it runs
     * @param successes where its handler records successes
     * @param listener told about its ticks, checks and attempts
     * @return the running node
     */
    public static RestartNode start(Settings s, SuccessFile successes, LamplighterListener listener) {
        HikariDataSource pool = pool(s.jdbcUrl(), s.user(), s.password(), s.threads() + 6, s.nodeId());
        try {
            LamplighterConfig config = LamplighterConfig.builder()
                    .nodeId(s.nodeId())
                    .schedulerEnabled(s.scheduler())
                    .pollInterval(s.pollInterval())
                    .workerThreads(s.threads())
                    .workerPollInterval(Duration.ofSeconds(1))
                    .jobLease(Duration.ofSeconds(30))
                    .jobRetryBase(Duration.ofSeconds(1))
                    .launcherRetryBase(Duration.ofSeconds(1))
                    .build();
            Lamplighter.Builder b = Lamplighter.builder(pool).config(config)
                    .launcher(new AlwaysLaunch())
                    .handler(new RecordingHandler(successes, s.nodeId()))
                    .listener(listener);
            for (int i = 1; i <= s.schedules(); i++) {
                b.schedule(Schedule.builder(SCHEDULE_PREFIX + i).every(s.every()).launcher(AlwaysLaunch.NAME)
                        .jobType(RecordingHandler.JOB_TYPE).param("work_ms", s.workMs()).maxAttempts(5)
                        .priority(10).build());   // ahead of the queued jobs: one instance per schedule waits for its last job
            }
            return new RestartNode(pool, b.start());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * A HikariCP pool as a node builds from a URL (10 s connection timeout), whose connections
     * carry {@code applicationName}, so that a program can find and terminate them.
     */
    static HikariDataSource pool(String jdbcUrl, String user, String password, int size, String applicationName) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(2, size));
        config.setConnectionTimeout(10_000);
        config.setPoolName(applicationName);
        config.addDataSourceProperty("ApplicationName", applicationName);
        return new HikariDataSource(config);
    }

    /** {@return the node} */
    public Lamplighter node() {
        return node;
    }

    /** Stops the node, then closes its pool. */
    @Override
    public void close() {
        try {
            node.close();
        } finally {
            pool.close();
        }
    }
}
