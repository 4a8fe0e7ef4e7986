package dev.lamplighter.worker.internal.node;

import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.internal.LoopErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's row in {@code lamplighter.nodes}: announced at start with the launchers and
 * job types it can run, refreshed every {@link #INTERVAL}, removed at a clean stop. Rows of nodes
 * not seen for {@link #STALE_AFTER} are removed by whichever node beats next.
 */
public final class NodeHeartbeat {

    public static final Duration INTERVAL = Duration.ofSeconds(30);
    public static final Duration STALE_AFTER = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(NodeHeartbeat.class);

    private final LoopErrors errors;

    private static final String UPSERT = SqlFiles.load("nodes/upsert");
    private static final String HEARTBEAT = SqlFiles.load("nodes/heartbeat");
    private static final String DELETE = SqlFiles.load("nodes/delete");
    private static final String DELETE_STALE = SqlFiles.load("nodes/delete_stale");

    private final Jdbi jdbi;
    private final String nodeId;
    private final String version;
    private final String[] launchers;
    private final String[] jobTypes;
    private final String[] capabilities;
    private final Clock clock;
    private final String[] declaredSchedules;
    private final ClusterState cluster;
    private ScheduledExecutorService executor;

    /** @param clock null means the database's clock */
    public NodeHeartbeat(Jdbi jdbi, String nodeId, String version, Collection<String> launchers,
                         Collection<String> jobTypes, Collection<String> capabilities, Clock clock) {
        this(jdbi, nodeId, version, launchers, jobTypes, capabilities, clock, java.util.List.of(), null);
    }

    /**
     * A heartbeat that also announces the schedules the node declares in code, and reads the
     * cluster's pause and this node's drain into {@code cluster} at every beat (null: it does not).
     *
     * @param clock null means the database's clock
     */
    public NodeHeartbeat(Jdbi jdbi, String nodeId, String version, Collection<String> launchers,
                         Collection<String> jobTypes, Collection<String> capabilities, Clock clock,
                         Collection<String> declaredSchedules, ClusterState cluster) {
        this.declaredSchedules = new TreeSet<>(declaredSchedules).toArray(String[]::new);
        this.cluster = cluster;
        this.jdbi = jdbi;
        this.nodeId = nodeId;
        this.errors = new LoopErrors(log, "Node heartbeat of node " + nodeId);
        this.version = version;
        this.launchers = new TreeSet<>(launchers).toArray(String[]::new);
        this.jobTypes = new TreeSet<>(jobTypes).toArray(String[]::new);
        this.capabilities = new TreeSet<>(capabilities).toArray(String[]::new);
        this.clock = clock;
    }

    public synchronized void start() {
        if (executor != null) {
            return;
        }
        announce();
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lamplighter-heartbeat");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::beatSafely, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops beating and removes this node's row. Safe to call twice, or before start. */
    public synchronized void stop() {
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        executor = null;
        try {
            jdbi.useHandle(h -> h.createUpdate(DELETE).bind("nodeId", nodeId).execute());
        } catch (RuntimeException e) {
            log.warn("Could not remove node {} from lamplighter.nodes: {}", nodeId, e.getMessage());
        }
    }

    /** Writes this node's row (start-up). */
    public void announce() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown";
        }
        String hostname = host;
        jdbi.useHandle(h -> h.createUpdate(UPSERT)
                .bind("nodeId", nodeId).bind("hostname", hostname).bind("pid", ProcessHandle.current().pid())
                .bind("version", version).bind("now", now())
                .bind("launchers", launchers).bind("jobTypes", jobTypes).bind("capabilities", capabilities)
                .bind("declaredSchedules", declaredSchedules)
                .execute());
        log.info("Node {} is up: launchers {}, job types {}", nodeId, String.join(", ", launchers),
                String.join(", ", jobTypes));
    }

    /** One beat: refresh this node, forget dead ones, read the cluster's pause and this node's drain. */
    public void runOnce() {
        jdbi.useHandle(h -> {
            int found = h.createUpdate(HEARTBEAT).bind("nodeId", nodeId).bind("now", now()).execute();
            int removed = h.createUpdate(DELETE_STALE).bind("now", now()).bind("staleAfterMs", STALE_AFTER.toMillis()).execute();
            if (removed > 0) {
                log.info("Removed {} node(s) not seen for {}", removed, STALE_AFTER);
            }
            if (found == 0) {
                announce();
            }
        });
        log.debug("Heartbeat of node {}", nodeId);
        if (cluster != null) {
            cluster.refreshSafely();
        }
    }

    private void beatSafely() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            errors.failed(e, INTERVAL);
            return;
        }
        errors.succeeded();
    }

    private Instant now() {
        return clock == null ? null : clock.instant();
    }

    /** Whether this loop's last attempt failed because the database could not be reached. */
    public boolean inOutage() {
        return errors.inOutage();
    }
}
