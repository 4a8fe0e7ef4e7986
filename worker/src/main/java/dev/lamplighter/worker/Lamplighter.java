package dev.lamplighter.worker;

import dev.lamplighter.JobHandler;
import dev.lamplighter.Launcher;
import dev.lamplighter.Schedule;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.conditions.Conditions;
import dev.lamplighter.worker.events.LamplighterListener;
import dev.lamplighter.worker.internal.Listeners;
import dev.lamplighter.worker.internal.db.Database;
import dev.lamplighter.worker.internal.db.Notifications;
import dev.lamplighter.worker.internal.db.PollingOnly;
import dev.lamplighter.worker.internal.escalation.Escalator;
import dev.lamplighter.worker.internal.node.ClusterState;
import dev.lamplighter.worker.internal.node.NodeHeartbeat;
import dev.lamplighter.worker.internal.poll.PollerSettings;
import dev.lamplighter.worker.internal.poll.SchedulePoller;
import dev.lamplighter.worker.internal.poll.ScheduleRegistrar;
import dev.lamplighter.worker.internal.queue.JobRescuer;
import dev.lamplighter.worker.internal.queue.JobTypeLimit;
import dev.lamplighter.worker.internal.queue.JobTypeRegistrar;
import dev.lamplighter.worker.internal.queue.WorkerPool;
import dev.lamplighter.worker.internal.queue.WorkerSettings;
import dev.lamplighter.worker.internal.retention.RetentionCleaner;
import dev.lamplighter.worker.internal.retention.RetentionSettings;
import dev.lamplighter.worker.internal.singleton.Registration;
import dev.lamplighter.worker.internal.singleton.SingletonSupervisor;
import dev.lamplighter.worker.singleton.SingletonOptions;
import dev.lamplighter.worker.singleton.SingletonService;
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
 * A Lamplighter node: the poll loop (launchers), the worker pool (handlers), the rescuer, the
 * heartbeat and the singleton services ({@link Builder#singleton}), over one PostgreSQL database,
 * on the application's own {@link DataSource}.
 *
 * <pre>{@code
 * try (Lamplighter node = Lamplighter.builder(dataSource)
 *         .config(LamplighterConfig.builder().workerThreads(8).build())
 *         .launcher(new EpistemicRemeasurementLauncher())
 *         .handler(new EpistemicRemeasurementHandler())
 *         .schedule(Schedule.builder("epistemic_remeasurement").cron("0 * * * *")
 *                 .launcher("EpistemicRemeasurementLauncher").jobType("epistemic_remeasurement").build())
 *         .start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #start()} applies the schema migrations first unless {@link LamplighterConfig#migrate()}
 * is off (for teams that apply {@code migrations/} with their own Flyway or Liquibase).
 * {@link #close()} shuts down in order: stop launching, stop claiming and drain (up to the
 * shutdown timeout) or release in-flight jobs, stop the rescuer and the listener, leave the nodes
 * table. The DataSource stays open: it is the application's. Several nodes may run in one JVM, each
 * with its own node id.
 */
public final class Lamplighter implements AutoCloseable {

    /** The version written to {@code lamplighter.nodes}. */
    public static final String VERSION = readVersion();

    private static final Logger log = LoggerFactory.getLogger(Lamplighter.class);
    private static final String LAST_LED_TICK = dev.lamplighter.internal.SqlFiles.load("nodes/last_led_tick");

    /** The ids of the nodes running in this JVM: two nodes under one id would share rows and locks. */
    private static final java.util.Set<String> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final LamplighterConfig config;
    private final Database database;
    private final Map<String, Launcher> launchers;
    private final Map<String, JobHandler> handlers;
    private final List<Schedule> schedules;
    private final List<JobTypeLimit> limits;
    private final SchedulePoller poller;
    private final WorkerPool workers;
    private final JobRescuer rescuer;
    private final RetentionCleaner retention;
    private final Notifications notifications;
    private final NodeHeartbeat heartbeat;
    private final ClusterState cluster;
    private final LamplighterClient client;
    private final SingletonSupervisor singletons;
    private final Escalator escalator;
    private final Listeners listeners = new Listeners();
    private boolean started;
    private boolean closed;

    private Lamplighter(Builder b) {
        this.config = b.config.build();
        this.database = b.database;
        this.launchers = Map.copyOf(b.launchers);
        this.handlers = Map.copyOf(b.handlers);
        this.schedules = List.copyOf(b.schedules);
        this.limits = List.copyOf(b.limits.values());
        Jdbi jdbi = database.jdbi();
        b.listeners.forEach(listeners::add);
        this.escalator = config.escalation().enabled() ? new Escalator(jdbi, config.escalation(), config.nodeId()) : null;
        if (escalator != null) {
            listeners.add(escalator);
        }
        this.poller = config.schedulerEnabled()
                ? new SchedulePoller(jdbi, launchers, PollerSettings.from(config), listeners) : null;
        this.workers = config.workerThreads() > 0 && !handlers.isEmpty()
                ? new WorkerPool(jdbi, handlers, WorkerSettings.from(config), System::nanoTime, listeners) : null;
        this.rescuer = new JobRescuer(jdbi, WorkerSettings.from(config), listeners);
        this.retention = config.retention() ? new RetentionCleaner(jdbi, RetentionSettings.from(config)) : null;
        this.notifications = new Notifications(database, config.nodeId());
        this.cluster = new ClusterState(jdbi, config.nodeId(), config.clock().orElse(null));
        this.heartbeat = new NodeHeartbeat(jdbi, config.nodeId(), VERSION, launchers.keySet(),
                workers != null ? handlers.keySet() : List.of(),
                config.capabilities(), config.clock().orElse(null),
                schedules.stream().map(Schedule::name).toList(), cluster);
        this.client = LamplighterClient.create(database.dataSource(), config.clock().orElse(null));
        this.singletons = b.singletons.isEmpty() ? null
                : new SingletonSupervisor(jdbi, config.nodeId(), config.clock().orElse(null), b.singletons.values());
    }

    /**
     * A node over the application's DataSource (any pool; Lamplighter holds one of its connections
     * for LISTEN while it runs, unless {@link LamplighterConfig#listen()} is off, and never closes
     * the DataSource). Settings default to
     * {@link LamplighterConfig#builder()}'s; set them with {@link Builder#config} or the shortcuts
     * of {@link Builder}.
     *
     * @param dataSource the application's DataSource to the database with the {@code lamplighter} schema
     * @return a builder for the node
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Database.over(dataSource));
    }

    /**
     * Migrates (unless {@link LamplighterConfig#migrate()} is off), registers the declared schedules,
     * announces the node in {@code lamplighter.nodes} and starts every service. Calling it again
     * does nothing.
     *
     * @return this node
     * @throws IllegalStateException if the node was closed, or another node of this JVM runs under
     *         the same {@link LamplighterConfig#nodeId()}
     * @throws dev.lamplighter.LamplighterException if the schema was migrated by another build, or,
     *         with migrate off, is missing or older than this build (the message says how to apply it)
     */
    public synchronized Lamplighter start() {
        if (started) {
            return this;
        }
        if (closed) {
            throw new IllegalStateException("Lamplighter node " + config.nodeId() + " is closed: build a new node to start again");
        }
        if (!RUNNING.add(config.nodeId())) {
            throw new IllegalStateException("nodeId (LAMPLIGHTER_NODE_ID) = \"" + config.nodeId() + "\" is taken by another "
                    + "node running in this JVM: give each node its own nodeId (Lamplighter.Builder.nodeId)");
        }
        try {
            log.info("Starting Lamplighter node {}: {}", config.nodeId(), config);
            if (config.migrate()) {
                migrate();
            } else {
                database.requireMigrated();
            }
        } catch (RuntimeException e) {
            RUNNING.remove(config.nodeId());
            throw e;
        }
        started = true;
        new ScheduleRegistrar(database.jdbi(), config.clock().orElse(null)).register(schedules);
        new JobTypeRegistrar(database.jdbi()).register(limits);
        heartbeat.start();
        if (singletons != null && config.listen()) {
            notifications.subscribe("lamplighter_singletons", name -> singletons.wake());
        }
        if (escalator != null) {
            escalator.start();
        }
        obeyClusterState();
        if (config.listen()) {
            notifications.subscribe("lamplighter_cluster", change -> cluster.refreshSafely());
            if (poller != null) {
                notifications.subscribe("lamplighter_schedules", name -> poller.wake());
            }
            if (workers != null) {
                notifications.subscribe("lamplighter_jobs", type -> workers.wake());
            }
            notifications.start();
        } else {
            PollingOnly.announce(database.dataSource(), config.nodeId(), config.pollInterval(),
                    config.workerPollInterval(), config.migrate());
        }
        if (poller != null) {
            poller.start(config.listen());
        }
        if (workers != null) {
            workers.start();
        }
        rescuer.start();
        if (retention != null) {
            retention.start();
        }
        if (singletons != null) {
            singletons.start();
        }
        return this;
    }

    /** The loops follow the cluster's pause and this node's drain, read once now and then on change. */
    private void obeyClusterState() {
        if (poller != null) {
            poller.obey(cluster);
            cluster.onOpen(poller::wake);
        }
        if (workers != null) {
            workers.obey(cluster);
        }
        cluster.refreshSafely();
    }

    private void migrate() {
        try {
            database.migrate();
        } catch (org.flywaydb.core.api.exception.FlywayValidateException e) {
            throw new dev.lamplighter.LamplighterException("The lamplighter schema was migrated by a different build of "
                    + "Lamplighter (" + e.getMessage().lines().skip(1).findFirst().orElse("").strip()
                    + "); run the build that migrated it", e);
        }
    }

    /**
     * This node's id ({@code lamplighter.nodes.node_id}, {@code locked_by} of the jobs it runs).
     *
     * @return the node id of {@link LamplighterConfig#nodeId()}
     */
    public String nodeId() {
        return config.nodeId();
    }

    /**
     * Whether the node runs and reaches its database: started, not closed, and none of its loops
     * (poll loop, worker loop, rescuer, heartbeat, LISTEN) failed its last attempt on the connection.
     * A node with {@link LamplighterConfig#listen()} off has no LISTEN connection, and its absence
     * is not a problem.
     * Before {@link #start()} the reason is "not started", after {@link #close()} "closed".
     *
     * @return whether the node is healthy, and the reasons when it is not
     */
    public synchronized Health health() {
        List<String> problems = new ArrayList<>();
        if (!started) {
            problems.add("not started");
        }
        if (closed) {
            problems.add("closed");
        }
        if (started && !closed) {
            if (poller != null && poller.inOutage()) {
                problems.add("poll loop cannot reach the database");
            }
            if (workers != null && workers.inOutage()) {
                problems.add("worker loop cannot reach the database");
            }
            if (rescuer.inOutage()) {
                problems.add("rescuer cannot reach the database");
            }
            if (retention != null && retention.inOutage()) {
                problems.add("retention cleaner cannot reach the database");
            }
            if (heartbeat.inOutage()) {
                problems.add("heartbeat cannot reach the database");
            }
            if (singletons != null && singletons.inOutage()) {
                problems.add("singleton services cannot reach the database");
            }
            if (notifications.inOutage()) {
                problems.add("LISTEN connection is down (the loops fall back to polling)");
            }
        }
        return new Health(problems.isEmpty(), List.copyOf(problems));
    }

    /**
     * When the poll loop last ran: this node's last tick (led or not) and the cluster's last led
     * tick, read from {@code lamplighter.nodes}. {@code GET /health} of the admin server reports it.
     *
     * @return this node's last tick and the cluster's
     * @throws org.jdbi.v3.core.ConnectionException if the database cannot be reached
     */
    public LastTick lastTick() {
        SchedulePoller.Ticked own = poller == null ? null : poller.lastTick();
        java.time.Instant cluster = database.jdbi().withHandle(h -> h.createQuery(LAST_LED_TICK)
                .map((rs, ctx) -> {
                    java.time.OffsetDateTime t = rs.getObject(1, java.time.OffsetDateTime.class);
                    return t == null ? null : t.toInstant();
                }).findOne().orElse(null));
        return new LastTick(java.util.Optional.ofNullable(own == null ? null : own.at()), own != null && own.led(),
                java.util.Optional.ofNullable(cluster));
    }

    /**
     * {@code health().healthy()}.
     *
     * @return whether the node runs and reaches its database
     */
    public boolean isHealthy() {
        return health().healthy();
    }

    /**
     * A node's health: healthy, or the reasons it is not, each one line.
     *
     * @param healthy whether there are no problems
     * @param problems what is wrong, in words an operator can act on; empty when healthy
     */
    public record Health(boolean healthy, List<String> problems) {
    }

    /**
     * The node's settings, as checked when it was built.
     *
     * @return the settings the node runs with
     */
    public LamplighterConfig config() {
        return config;
    }

    /**
     * A client over the node's DataSource and clock: enqueue jobs, trigger schedules, bump counters.
     *
     * @return the node's client (thread-safe)
     */
    public LamplighterClient client() {
        return client;
    }

    /**
     * Adds a listener to a built node, started or not (the admin server adds its metrics this way);
     * it hears the events that happen from now on. Adding the same listener twice adds it once.
     * Listeners given to {@link Builder#listener} are there from the start.
     *
     * @param listener the listener
     */
    public void addListener(LamplighterListener listener) {
        listeners.add(listener);
    }

    /**
     * Removes a listener added to this node; it hears nothing more once this returns, except a
     * call already under way on another thread.
     *
     * @param listener the listener
     * @return whether it was registered
     */
    public boolean removeListener(LamplighterListener listener) {
        return listeners.remove(listener);
    }

    /** The poll loop, or null when the scheduler is off; for tests in this package. */
    SchedulePoller poller() {
        return poller;
    }

    /** The singleton services' supervisor, or null when none is registered; for tests in this package. */
    SingletonSupervisor singletons() {
        return singletons;
    }

    /** The escalator, or null when no webhook is set; for tests in this package. */
    Escalator escalator() {
        return escalator;
    }

    /** The cluster's pause and this node's drain as this node last read them; for tests in this package. */
    ClusterState cluster() {
        return cluster;
    }

    /** The heartbeat (which also reads the cluster's pause and this node's drain); for tests in this package. */
    NodeHeartbeat heartbeat() {
        return heartbeat;
    }

    /** The worker pool, or null when this node runs no workers; for tests in this package. */
    WorkerPool workers() {
        return workers;
    }

    /**
     * The DataSource the node runs on.
     *
     * @return the application's DataSource, as given to {@link #builder(DataSource)}
     */
    public DataSource dataSource() {
        return database.dataSource();
    }

    /**
     * The launchers this node can run, by name (the built-in ones included).
     *
     * @return the launcher names, unmodifiable
     */
    public Collection<String> launcherNames() {
        return launchers.keySet();
    }

    /**
     * The launchers this node runs, by name (the built-in ones included): for an operator's tool
     * that evaluates a schedule as this node would (the admin API's explain).
     *
     * @return the launchers by name, unmodifiable
     */
    public Map<String, Launcher> launchers() {
        return launchers;
    }

    /**
     * The job types this node has handlers for.
     *
     * @return the job types, unmodifiable
     */
    public Collection<String> jobTypes() {
        return handlers.keySet();
    }

    /**
     * Stops the node in order: stop the singleton services and release their leases (each is given
     * its {@code stopGrace}); stop launching; stop claiming and let in-flight jobs finish for up
     * to {@link LamplighterConfig#shutdownTimeout()}, giving back to the queue those that do not;
     * stop the rescuer, the listener and the heartbeat, and leave {@code lamplighter.nodes}. The
     * DataSource stays open. Calling it again does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (singletons != null) {
            singletons.stop();   // first, so that another node takes them over while this one drains
        }
        if (poller != null) {
            poller.stop();
        }
        if (workers != null) {
            workers.stop();
        }
        rescuer.stop();
        if (retention != null) {
            retention.stop();
        }
        notifications.stop();
        if (escalator != null) {
            escalator.stop();
        }
        heartbeat.stop();
        if (started) {
            RUNNING.remove(config.nodeId());
        }
        log.info("Lamplighter node {} stopped", config.nodeId());
    }

    /**
     * Collects what a node runs and its settings. Settings come from {@link #config} and from the
     * shortcuts ({@link #nodeId}, {@link #workerThreads}, {@link #migrate}, ...), applied in the
     * order they are called: a shortcut after {@code config(...)} changes that one setting of it.
     */
    public static final class Builder {
        private LamplighterConfig.Builder config = LamplighterConfig.builder();
        private final Database database;
        private final Map<String, Launcher> launchers = new LinkedHashMap<>();
        private final Map<String, JobHandler> handlers = new LinkedHashMap<>();
        private final List<Schedule> schedules = new ArrayList<>();
        private final Map<String, JobTypeLimit> limits = new LinkedHashMap<>();
        private final List<LamplighterListener> listeners = new ArrayList<>();
        private final Map<String, Registration> singletons = new LinkedHashMap<>();

        private Builder(Database database) {
            this.database = database;
            Conditions.builtInLaunchers().forEach(this::launcher);
        }

        /**
         * Every setting at once (defaults: {@link LamplighterConfig#builder()}), replacing any set before.
         *
         * @param config the node's settings
         * @return this builder
         */
        public Builder config(LamplighterConfig config) {
            this.config = java.util.Objects.requireNonNull(config, "config").toBuilder();
            return this;
        }

        /**
         * Sets {@link LamplighterConfig#nodeId()}; two nodes in one JVM need two ids.
         *
         * @param nodeId 1 to 128 of {@code A-Za-z0-9_.:@-}
         * @return this builder
         */
        public Builder nodeId(String nodeId) {
            config.nodeId(nodeId);
            return this;
        }

        /**
         * Sets {@link LamplighterConfig#workerThreads()}.
         *
         * @param workerThreads 0 (no worker on this node) to {@value LamplighterConfig#MAX_WORKER_THREADS}
         * @return this builder
         */
        public Builder workerThreads(int workerThreads) {
            config.workerThreads(workerThreads);
            return this;
        }

        /**
         * Sets {@link LamplighterConfig#migrate()}: false for teams that apply the shipped
         * migrations with their own Flyway or Liquibase.
         *
         * @param migrate whether {@link Lamplighter#start()} applies the migrations
         * @return this builder
         */
        public Builder migrate(boolean migrate) {
            config.migrate(migrate);
            return this;
        }

        /**
         * Sets {@link LamplighterConfig#schedulerEnabled()}.
         *
         * @param enabled whether this node runs the poll loop
         * @return this builder
         */
        public Builder schedulerEnabled(boolean enabled) {
            config.schedulerEnabled(enabled);
            return this;
        }

        /**
         * Sets {@link LamplighterConfig#shutdownTimeout()}.
         *
         * @param timeout 0 s to 1 h
         * @return this builder
         */
        public Builder shutdownTimeout(java.time.Duration timeout) {
            config.shutdownTimeout(timeout);
            return this;
        }

        /**
         * Sets {@link LamplighterConfig#escalation()}: where the node sends a schedule it disabled
         * (and, if asked, jobs that failed for good).
         *
         * @param escalation checked settings, e.g. {@code EscalationConfig.builder().webhookUrl(url).build()}
         * @return this builder
         */
        public Builder escalation(dev.lamplighter.worker.escalation.EscalationConfig escalation) {
            config.escalation(escalation);
            return this;
        }

        /**
         * Registers a launcher; a second launcher with the same name is an error.
         *
         * @param launcher the launcher, found by schedules under {@link Launcher#name()}
         * @return this builder
         * @throws IllegalArgumentException if another launcher has that name
         */
        public Builder launcher(Launcher launcher) {
            Launcher previous = launchers.putIfAbsent(launcher.name(), launcher);
            if (previous != null && previous != launcher) {
                throw new IllegalArgumentException("launcher = \"" + launcher.name() + "\" is registered twice ("
                        + previous.getClass().getName() + " and " + launcher.getClass().getName()
                        + "): expected one launcher per name");
            }
            return this;
        }

        /**
         * Registers a handler; a second handler for the same job type is an error.
         *
         * @param handler the handler of the jobs of {@link JobHandler#jobType()}
         * @return this builder
         * @throws IllegalArgumentException if another handler has that job type
         */
        public Builder handler(JobHandler handler) {
            JobHandler previous = handlers.putIfAbsent(handler.jobType(), handler);
            if (previous != null && previous != handler) {
                throw new IllegalArgumentException("job_type = \"" + handler.jobType() + "\" has two handlers ("
                        + previous.getClass().getName() + " and " + handler.getClass().getName()
                        + "): expected one handler per job type");
            }
            return this;
        }

        /**
         * Declares a schedule, registered idempotently at start (a restart never duplicates it, nor
         * overwrites what an operator changed by SQL); a launcher instance given to it is registered too.
         *
         * @param schedule the schedule
         * @return this builder
         */
        public Builder schedule(Schedule schedule) {
            schedule.launcher().ifPresent(this::launcher);
            schedules.add(schedule);
            return this;
        }

        /**
         * Declares that at most {@code maxRunning} jobs of {@code jobType} run at once across the
         * cluster (every node, claimed jobs waiting in a prefetch buffer included). Registered in
         * {@code lamplighter.job_types} at start, like a schedule: a restart never overwrites a
         * limit an operator changed by SQL ({@code sql/cookbook/job_type_limits.sql}), and every
         * node reads the table, not its own declaration, at each claim.
         *
         * @param jobType the job type; not blank; it need not have a handler on this node
         * @param maxRunning 1 or more
         * @return this builder
         * @throws IllegalArgumentException naming the value and what is allowed
         */
        public Builder limit(String jobType, int maxRunning) {
            JobTypeLimit before = limits.get(jobType);
            limits.put(jobType, new JobTypeLimit(jobType, maxRunning, before != null && before.exclusive()));
            return this;
        }

        /**
         * Declares {@code jobType} exclusive: at most one of its jobs runs anywhere in the cluster,
         * for jobs that touch money. A job of it whose lease ran out goes back to the queue only once
         * its node is gone or silent, or 5 minutes after the lease ran out (see {@link #limit}, which
         * it overrides, for how it is registered).
         *
         * @param jobType the job type; not blank
         * @return this builder
         * @throws IllegalArgumentException when {@code jobType} is null or blank
         */
        public Builder exclusive(String jobType) {
            JobTypeLimit before = limits.get(jobType);
            limits.put(jobType, new JobTypeLimit(jobType, before == null ? null : before.maxRunning(), true));
            return this;
        }

        /**
         * Registers a singleton service with {@link SingletonOptions#defaults()}: see
         * {@link #singleton(String, SingletonService, SingletonOptions)}.
         *
         * @param name 1 to 128 of {@code A-Za-z0-9_.:@-}, the same on every node that may run it
         * @param service the long-lived loop
         * @return this builder
         * @throws IllegalArgumentException naming a bad or repeated name
         */
        public Builder singleton(String name, SingletonService service) {
            return singleton(name, service, SingletonOptions.defaults());
        }

        /**
         * Registers a singleton service: a long-lived loop that runs on exactly one node of the
         * cluster at a time, the one that holds its lease in {@code lamplighter.singletons}. Every
         * node that registers the name competes for it; the holder runs the service on a thread of
         * its own, restarts it with a backoff when it throws, interrupts it when the lease is lost,
         * and releases the lease when it closes, so that another node takes over at once. See
         * {@link dev.lamplighter.worker.singleton.SingletonContext} for the fencing token and the guard.
         *
         * @param name 1 to 128 of {@code A-Za-z0-9_.:@-}, the same on every node that may run it
         * @param service the long-lived loop
         * @param options lease, restart backoff and stop grace
         * @return this builder
         * @throws IllegalArgumentException naming a bad or repeated name
         */
        public Builder singleton(String name, SingletonService service, SingletonOptions options) {
            Registration registration = new Registration(name, service, options);
            if (singletons.putIfAbsent(name, registration) != null) {
                throw new IllegalArgumentException("singleton name = \"" + name + "\" is registered twice: expected one "
                        + "service per singleton name on a node");
            }
            return this;
        }

        /**
         * Registers a listener of the node's events (ticks, checks, claims, attempts, rescues), for
         * metrics; several may be registered, each is called in turn. It is called after each change
         * commits, on the thread that made it: it must be quick. A listener that throws is logged
         * once per method and the node goes on. See {@link LamplighterListener}.
         *
         * @param listener the listener
         * @return this builder
         * @throws NullPointerException if {@code listener} is null
         */
        public Builder listener(LamplighterListener listener) {
            listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Adds every Launcher and JobHandler listed in META-INF/services on this class loader.
         *
         * @param loader the class loader to search
         * @return this builder
         */
        public Builder discover(ClassLoader loader) {
            int before = launchers.size() + handlers.size();
            ServiceLoader.load(Launcher.class, loader).forEach(this::launcher);
            ServiceLoader.load(JobHandler.class, loader).forEach(this::handler);
            log.info("Found {} launcher(s) and handler(s) with ServiceLoader", launchers.size() + handlers.size() - before);
            return this;
        }

        /**
         * The node, not started.
         *
         * @return the node
         * @throws IllegalArgumentException naming a setting out of its bounds
         */
        public Lamplighter build() {
            return new Lamplighter(this);
        }

        /**
         * The node, started ({@link Lamplighter#start()}).
         *
         * @return the running node; close it to stop it
         * @throws IllegalArgumentException naming a setting out of its bounds
         */
        public Lamplighter start() {
            return build().start();
        }
    }

    private static String readVersion() {
        java.util.Properties p = new java.util.Properties();
        try (java.io.InputStream in = Lamplighter.class.getResourceAsStream("/lamplighter/worker-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot read lamplighter/worker-version.properties", e);
        }
        return p.getProperty("version", "unknown");
    }
}
