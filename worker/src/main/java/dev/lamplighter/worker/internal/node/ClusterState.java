package dev.lamplighter.worker.internal.node;

import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.internal.LoopErrors;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node must obey, kept in memory: the cluster's pause ({@code lamplighter.cluster_state})
 * and a drain of this node ({@code lamplighter.nodes.drain_requested_at}). The poll loop and the
 * worker pool read the cached flags, so a claim costs no extra statement. The flags are read from
 * the database ({@code sql/cluster/read_for_node.sql}) at start, at every heartbeat (the fallback
 * when LISTEN is off) and on every NOTIFY {@code lamplighter_cluster}.
 *
 * <p>When the gate opens (resumed, undrained) the registered wakers run, so the loops tick and
 * claim at once. When a drain is requested the drain action runs (the pool gives its prefetched
 * jobs back); once the node runs nothing it writes {@code drained_at} ({@link #checkDrained()}).
 * One INFO line per change of state, not per tick.
 *
 * <p>Thread-safe: {@link #refresh()} is called from the heartbeat, the LISTEN thread and start-up.
 */
public final class ClusterState {

    private static final Logger log = LoggerFactory.getLogger(ClusterState.class);

    private static final String READ = SqlFiles.load("cluster/read_for_node");
    private static final String MARK_DRAINED = SqlFiles.load("nodes/mark_drained");

    private final Jdbi jdbi;
    private final String nodeId;
    private final Clock clock;
    private final List<Runnable> wakers = new CopyOnWriteArrayList<>();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
    private final LoopErrors errors = new LoopErrors(log, "Reading the cluster's pause");
    /** Claims hold it shared while they run; a read that closes the gate takes it exclusively. */
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private volatile BooleanSupplier idle = () -> true;
    private volatile Runnable onDrain = () -> { };
    private volatile boolean paused;
    private volatile boolean drainRequested;
    private volatile boolean drainedWritten;

    /** @param clock null means the database's clock */
    public ClusterState(Jdbi jdbi, String nodeId, Clock clock) {
        this.jdbi = jdbi;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    /** Runs {@code waker} whenever the gate opens (resume, undrain), so that a loop acts at once. */
    public void onOpen(Runnable waker) {
        wakers.add(waker);
    }

    /** Runs {@code listener} after each read that changed the pause or the drain, and once drained_at is written. */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    /**
     * What the node does when asked to drain ({@code action}, run once per request) and how it
     * knows that it runs nothing ({@code idle}).
     */
    public void drainWith(Runnable action, BooleanSupplier idle) {
        this.onDrain = action;
        this.idle = idle;
    }

    /** Whether the cluster is paused, as last read. */
    public boolean paused() {
        return paused;
    }

    /** Whether this node was asked to drain, as last read. */
    public boolean drainRequested() {
        return drainRequested;
    }

    /** Whether this node may check schedules and claim jobs: not paused, not draining. */
    public boolean open() {
        return !paused && !drainRequested;
    }

    /**
     * Runs {@code work} (a claim) if the gate is open, and keeps it open until {@code work} returns:
     * once a read that pauses or drains this node has returned, no claim that began before it is
     * still under way. Returns null, without running {@code work}, when the gate is closed.
     */
    public <T> T whileOpen(Supplier<T> work) {
        gate.readLock().lock();
        try {
            return open() ? work.get() : null;
        } finally {
            gate.readLock().unlock();
        }
    }

    /** Reads the state; on a failure keeps the last one, logs (once per outage) and goes on. */
    public void refreshSafely() {
        try {
            refresh();
            errors.succeeded();
        } catch (RuntimeException e) {
            errors.failed(e, NodeHeartbeat.INTERVAL);
        }
    }

    /** Reads the state from the database and acts on what changed. */
    public synchronized void refresh() {
        Map<String, Object> row = jdbi.withHandle(h -> h.createQuery(READ).bind("nodeId", nodeId).mapToMap().one());
        boolean wasOpen = open();
        boolean wasPaused = paused;
        boolean wasDraining = drainRequested;
        boolean nowPaused = Boolean.TRUE.equals(row.get("paused"));
        boolean nowDraining = row.get("drain_requested_at") != null;
        if ((nowPaused && !wasPaused) || (nowDraining && !wasDraining)) {
            // Closing: wait for the claims under way, so that none runs after this read returns.
            gate.writeLock().lock();
            try {
                paused = nowPaused;
                drainRequested = nowDraining;
            } finally {
                gate.writeLock().unlock();
            }
        } else {
            paused = nowPaused;
            drainRequested = nowDraining;
        }
        if (nowPaused != wasPaused) {
            if (nowPaused) {
                log.info("Cluster paused by {} since {} ({}): node {} checks no schedule and claims no job until resumed; "
                        + "running jobs finish", row.get("paused_by"), instant(row.get("paused_at")), row.get("reason"), nodeId);
            } else {
                log.info("Cluster resumed: node {} checks schedules and claims jobs again{}", nodeId,
                        nowDraining ? " once it is undrained" : "");
            }
        }
        if (nowDraining != wasDraining) {
            if (nowDraining) {
                drainedWritten = row.get("drained_at") != null;
                log.info("Node {} drains (asked at {}): it checks no schedule and claims no job; running jobs finish",
                        nodeId, instant(row.get("drain_requested_at")));
                onDrain.run();
            } else {
                drainedWritten = false;
                log.info("Node {} is undrained: it checks schedules and claims jobs again{}", nodeId,
                        nowPaused ? " once the cluster is resumed" : "");
            }
        }
        if (!wasOpen && open()) {
            wakers.forEach(Runnable::run);
        }
        checkDrained();
        if (nowPaused != wasPaused || nowDraining != wasDraining) {
            changeListeners.forEach(Runnable::run);
        }
    }

    /**
     * Writes {@code drained_at} once the node was asked to drain and runs nothing. Cheap when not
     * draining (two volatile reads); the pool calls it whenever an attempt ends.
     */
    public void checkDrained() {
        if (!drainRequested || drainedWritten || !idle.getAsBoolean()) {
            return;
        }
        synchronized (this) {
            if (!drainRequested || drainedWritten) {
                return;
            }
            try {
                jdbi.useHandle(h -> h.createUpdate(MARK_DRAINED).bind("nodeId", nodeId)
                        .bind("now", clock == null ? null : clock.instant()).execute());
                drainedWritten = true;
                log.info("Node {} is drained: it runs no job (lamplighter.nodes.drained_at is set)", nodeId);
                changeListeners.forEach(Runnable::run);
            } catch (RuntimeException e) {
                log.warn("Node {} is drained but could not say so in lamplighter.nodes (next heartbeat tries again): {}",
                        nodeId, LoopErrors.describe(e));
            }
        }
    }

    private static Object instant(Object value) {
        return value instanceof Timestamp ts ? ts.toInstant() : value;
    }
}
