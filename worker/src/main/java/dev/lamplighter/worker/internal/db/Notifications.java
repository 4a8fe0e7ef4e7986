package dev.lamplighter.worker.internal.db;

import dev.lamplighter.worker.internal.LoopErrors;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One LISTEN connection per node (see {@link Database#openDedicatedConnection()}). A daemon thread waits for notifications and
 * hands each payload to the channel's listeners. When the connection is lost it reconnects with a
 * bounded backoff, then calls every listener once with {@code null}, so they re-check whatever
 * they may have missed meanwhile.
 */
public final class Notifications {

    private static final Logger log = LoggerFactory.getLogger(Notifications.class);

    private static final int WAIT_MS = 500;
    private static final long MAX_BACKOFF_MS = 30_000;
    /** How long {@link #start()} waits for the first LISTEN. */
    public static final java.time.Duration START_TIMEOUT = java.time.Duration.ofSeconds(10);

    private final Database database;
    private final LoopErrors errors;
    private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
    private final Object sleeper = new Object();
    private final java.util.concurrent.CountDownLatch listening = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean running;
    private Thread thread;

    public Notifications(Database database) {
        this(database, null);
    }

    /** @param nodeId the node that listens, named in its log lines (null: none) */
    public Notifications(Database database, String nodeId) {
        this.database = database;
        this.errors = new LoopErrors(log, nodeId == null ? "LISTEN connection" : "LISTEN connection of node " + nodeId);
    }

    /** Adds a listener for a channel; call before {@link #start()}. */
    public void subscribe(String channel, Consumer<String> listener) {
        if (!channel.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("channel = \"" + channel + "\" is not allowed: expected a lower-case identifier");
        }
        listeners.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(listener);
    }

    /**
     * Starts listening and waits (up to {@link #START_TIMEOUT}) until the LISTEN is in place, so
     * that a change made after start returns is not missed.
     */
    public synchronized void start() {
        if (thread != null || listeners.isEmpty()) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "lamplighter-listen");
        thread.setDaemon(true);
        thread.start();
        try {
            if (!listening.await(START_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                log.warn("LISTEN on {} not in place after {}; going on, and it keeps trying", listeners.keySet(), START_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Safe to call twice, or before start. */
    public void stop() {
        Thread t;
        synchronized (this) {
            t = thread;
            thread = null;
            running = false;
        }
        if (t == null) {
            return;
        }
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        long backoff = 500;
        boolean reconnect = false;
        while (running) {
            try (Connection c = database.openDedicatedConnection()) {
                try (Statement s = c.createStatement()) {
                    for (String channel : listeners.keySet()) {
                        s.execute("LISTEN " + channel);
                    }
                }
                log.debug("Listening on {}", listeners.keySet());
                listening.countDown();
                errors.succeeded();
                if (reconnect) {
                    log.debug("LISTEN connection is back; re-checking {}", listeners.keySet());
                    listeners.keySet().forEach(channel -> dispatch(channel, null));
                }
                backoff = 500;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notes = pg.getNotifications(WAIT_MS);
                    if (notes != null) {
                        for (PGNotification n : notes) {
                            dispatch(n.getName(), n.getParameter());
                        }
                    }
                }
                // The connection may go back to an application's pool: leave no LISTEN behind.
                try (Statement s = c.createStatement()) {
                    s.execute("UNLISTEN *");
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                reconnect = true;
                errors.failed(e, Duration.ofMillis(backoff));
                pause(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
    }

    private void dispatch(String channel, String payload) {
        for (Consumer<String> listener : listeners.getOrDefault(channel, List.of())) {
            try {
                listener.accept(payload);
            } catch (RuntimeException e) {
                log.warn("Listener of {} failed on '{}': {}", channel, payload, e.getMessage(), e);
            }
        }
    }

    private void pause(long ms) {
        synchronized (sleeper) {
            try {
                sleeper.wait(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    /** Whether this loop's last attempt failed because the database could not be reached. */
    public boolean inOutage() {
        return errors.inOutage();
    }
}
