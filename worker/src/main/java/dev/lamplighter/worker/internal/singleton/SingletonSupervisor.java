package dev.lamplighter.worker.internal.singleton;

import dev.lamplighter.worker.internal.LoopErrors;
import dev.lamplighter.worker.singleton.SingletonContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The singletons registered on one node, driven by one loop thread: each turn acquires the free
 * ones, renews the held ones, restarts a service whose backoff is over. The loop waits until the
 * next turn a singleton needs (lease/3, a restart, the local end of a lease), or until it is woken
 * (a service ended, a NOTIFY on {@code lamplighter_singletons} that one was released).
 */
public final class SingletonSupervisor {

    private static final Logger log = LoggerFactory.getLogger(SingletonSupervisor.class);

    private final List<SingletonRunner> runners = new ArrayList<>();
    private final LoopErrors errors;
    private final String nodeId;
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running;
    private Thread loop;

    /** @param clock null means the database's clock */
    public SingletonSupervisor(Jdbi jdbi, String nodeId, Clock clock, Collection<Registration> registrations) {
        this.nodeId = nodeId;
        this.errors = new LoopErrors(log, "Singletons on node " + nodeId);
        SingletonStore store = new SingletonStore(jdbi, nodeId, clock);
        for (Registration r : registrations) {
            runners.add(new SingletonRunner(r, store, this::wake));
        }
    }

    public synchronized void start() {
        if (loop != null || runners.isEmpty()) {
            return;
        }
        running = true;
        loop = new Thread(this::loop, "lamplighter-singletons");
        loop.setDaemon(true);
        loop.start();
        log.info("Singletons on node {}: {}", nodeId, runners.stream().map(SingletonRunner::name).toList());
    }

    /** One turn of every singleton; a failure of one does not keep the others from their turn. */
    public void runOnce() {
        RuntimeException first = null;
        for (SingletonRunner r : runners) {
            try {
                r.turn();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void loop() {
        while (running) {
            try {
                runOnce();
                errors.succeeded();
            } catch (RuntimeException e) {
                errors.failed(e, shortestPeriod());
            }
            long waitNanos = runners.stream().mapToLong(SingletonRunner::nanosToNextTurn).min().orElse(0);
            synchronized (signal) {
                try {
                    if (!woken && running && waitNanos > 0) {
                        TimeUnit.NANOSECONDS.timedWait(signal, waitNanos);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                woken = false;
            }
        }
    }

    private Duration shortestPeriod() {
        return runners.stream().map(SingletonRunner::period).min(Duration::compareTo).orElse(Duration.ofSeconds(10));
    }

    /** Asks for a turn now (a service ended; another node released a singleton). */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /**
     * Stops the loop, interrupts every running service, waits for them up to the longest stop
     * grace, and releases the leases of those that ended. Safe to call twice, or before start.
     */
    public void stop() {
        Thread t;
        synchronized (this) {
            running = false;
            t = loop;
            loop = null;
        }
        wake();
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Leadership> held = new ArrayList<>();
        for (SingletonRunner r : runners) {
            held.add(r.beginStop());
        }
        long stopping = System.nanoTime();
        for (int i = 0; i < runners.size(); i++) {
            SingletonRunner r = runners.get(i);
            r.finishStop(held.get(i), stopping + r.grace().toNanos());
        }
    }

    /** This node's current leadership of {@code name}, if it holds it. */
    public Optional<SingletonContext> leadership(String name) {
        return runners.stream().filter(r -> r.name().equals(name)).findFirst().map(SingletonRunner::leadership);
    }

    /** Whether this node's service of {@code name} is running now. */
    public boolean serviceRunning(String name) {
        return runners.stream().anyMatch(r -> r.name().equals(name) && r.serviceRunning());
    }

    /** Whether the loop's last attempt failed because the database could not be reached. */
    public boolean inOutage() {
        return errors.inOutage();
    }
}
