package dev.lamplighter.worker;

import dev.lamplighter.JobHandler;
import dev.lamplighter.Launcher;
import dev.lamplighter.Schedule;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.conditions.Conditions;
import dev.lamplighter.worker.internal.db.Database;
import dev.lamplighter.worker.internal.db.Notifications;
import dev.lamplighter.worker.internal.node.NodeHeartbeat;
import dev.lamplighter.worker.internal.poll.PollerSettings;
import dev.lamplighter.worker.internal.poll.SchedulePoller;
import dev.lamplighter.worker.internal.poll.ScheduleRegistrar;
import dev.lamplighter.worker.internal.queue.JobRescuer;
import dev.lamplighter.worker.internal.queue.WorkerPool;
import dev.lamplighter.worker.internal.queue.WorkerSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Lamplighter node: the poll loop (launchers), the worker pool (handlers), the rescuer and the
 * heartbeat, over one PostgreSQL database.
 *
 * <pre>{@code
 * try (Lamplighter node = Lamplighter.builder(config, database)
 *         .launcher(new EpistemicRemeasurementLauncher())
 *         .handler(new EpistemicRemeasurementHandler())
 *         .schedule(Schedule.builder("epistemic_remeasurement").cron("0 * * * *")
 *                 .launcher("EpistemicRemeasurementLauncher").jobType("epistemic_remeasurement").build())
 *         .start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #close()} shuts down in order: stop launching, stop claiming and drain or release
 * in-flight jobs, stop the rescuer and the listener, leave the nodes table.
 */
public final class Lamplighter implements AutoCloseable {

    /** The version written to {@code lamplighter.nodes}. */
    public static final String VERSION = "0.1.0-SNAPSHOT";

    private static final Logger log = LoggerFactory.getLogger(Lamplighter.class);

    private final LamplighterConfig config;
    private final Database database;
    private final Map<String, Launcher> launchers;
    private final Map<String, JobHandler> handlers;
    private final List<Schedule> schedules;
    private final SchedulePoller poller;
    private final WorkerPool workers;
    private final JobRescuer rescuer;
    private final Notifications notifications;
    private final NodeHeartbeat heartbeat;
    private final LamplighterClient client;
    private boolean started;
    private boolean closed;

    private Lamplighter(Builder b) {
        this.config = b.config;
        this.database = b.database;
        this.launchers = Map.copyOf(b.launchers);
        this.handlers = Map.copyOf(b.handlers);
        this.schedules = List.copyOf(b.schedules);
        Jdbi jdbi = database.jdbi();
        this.poller = config.schedulerEnabled()
                ? new SchedulePoller(jdbi, launchers, PollerSettings.from(config)) : null;
        this.workers = config.workerThreads() > 0 && !handlers.isEmpty()
                ? new WorkerPool(jdbi, handlers, WorkerSettings.from(config)) : null;
        this.rescuer = new JobRescuer(jdbi, WorkerSettings.from(config));
        this.notifications = new Notifications(database);
        this.heartbeat = new NodeHeartbeat(jdbi, config.nodeId(), VERSION, launchers.keySet(),
                workers != null ? handlers.keySet() : List.of(),
                config.capabilities(), config.clock().orElse(null));
        this.client = LamplighterClient.create(database.dataSource(), config.clock().orElse(null));
    }

    /** A node over an already connected (and migrated) database, which the caller keeps and closes. */
    public static Builder builder(LamplighterConfig config, Database database) {
        return new Builder(config, database);
    }

    /** Registers schedules, announces the node, starts every service. */
    public synchronized Lamplighter start() {
        if (started) {
            return this;
        }
        started = true;
        log.info("Starting Lamplighter node {}: {}", config.nodeId(), config);
        new ScheduleRegistrar(database.jdbi(), config.clock().orElse(null)).register(schedules);
        heartbeat.start();
        if (poller != null) {
            notifications.subscribe("lamplighter_schedules", name -> poller.wake());
        }
        if (workers != null) {
            notifications.subscribe("lamplighter_jobs", type -> workers.wake());
        }
        notifications.start();
        if (poller != null) {
            poller.start();
        }
        if (workers != null) {
            workers.start();
        }
        rescuer.start();
        return this;
    }

    public LamplighterClient client() {
        return client;
    }

    public DataSource dataSource() {
        return database.dataSource();
    }

    /** The poll loop, or null when {@code schedulerEnabled} is off. */
    public SchedulePoller poller() {
        return poller;
    }

    /** The worker pool, or null when this node runs no workers. */
    public WorkerPool workers() {
        return workers;
    }

    public Collection<String> launcherNames() {
        return launchers.keySet();
    }

    public Collection<String> jobTypes() {
        return handlers.keySet();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (poller != null) {
            poller.stop();
        }
        if (workers != null) {
            workers.stop();
        }
        rescuer.stop();
        notifications.stop();
        heartbeat.stop();
        log.info("Lamplighter node {} stopped", config.nodeId());
    }

    /** Collects what a node runs. */
    public static final class Builder {
        private final LamplighterConfig config;
        private final Database database;
        private final Map<String, Launcher> launchers = new LinkedHashMap<>();
        private final Map<String, JobHandler> handlers = new LinkedHashMap<>();
        private final List<Schedule> schedules = new ArrayList<>();

        private Builder(LamplighterConfig config, Database database) {
            this.config = config;
            this.database = database;
            Conditions.builtInLaunchers().forEach(this::launcher);
        }

        public Builder launcher(Launcher launcher) {
            Launcher previous = launchers.putIfAbsent(launcher.name(), launcher);
            if (previous != null && previous != launcher) {
                throw new IllegalArgumentException("launcher = \"" + launcher.name() + "\" is registered twice ("
                        + previous.getClass().getName() + " and " + launcher.getClass().getName()
                        + "): expected one launcher per name");
            }
            return this;
        }

        public Builder handler(JobHandler handler) {
            JobHandler previous = handlers.putIfAbsent(handler.jobType(), handler);
            if (previous != null && previous != handler) {
                throw new IllegalArgumentException("job_type = \"" + handler.jobType() + "\" has two handlers ("
                        + previous.getClass().getName() + " and " + handler.getClass().getName()
                        + "): expected one handler per job type");
            }
            return this;
        }

        /** Declares a schedule (registered at start); a launcher instance given to it is registered too. */
        public Builder schedule(Schedule schedule) {
            schedule.launcher().ifPresent(this::launcher);
            schedules.add(schedule);
            return this;
        }

        /** Adds every Launcher and JobHandler listed in META-INF/services on this class loader. */
        public Builder discover(ClassLoader loader) {
            int before = launchers.size() + handlers.size();
            ServiceLoader.load(Launcher.class, loader).forEach(this::launcher);
            ServiceLoader.load(JobHandler.class, loader).forEach(this::handler);
            log.info("Found {} launcher(s) and handler(s) with ServiceLoader", launchers.size() + handlers.size() - before);
            return this;
        }

        public Lamplighter build() {
            return new Lamplighter(this);
        }

        public Lamplighter start() {
            return build().start();
        }
    }
}
