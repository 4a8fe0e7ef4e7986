package dev.lamplighter.worker.internal;

import dev.lamplighter.worker.internal.config.Durations;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * How one background loop (the poll loop, the worker loop, the rescuer, the heartbeat) reports
 * its failures, so that an outage reads as a few lines, not as pages of stack traces:
 *
 * <ul>
 *   <li>when it loses the database: one WARN line, naming the loop, the first line of the error and
 *       when it retries; the stack trace only at DEBUG. Not one line per retry: a loop that retries
 *       every second would write a page during a restart. An outage that lasts gets one reminder
 *       per {@link #REMINDER_EVERY};</li>
 *   <li>when it works again: one INFO line saying how long it was down and how many tries failed;</li>
 *   <li>an error that is not a connection error: ERROR with its stack trace the first time a given
 *       error is seen, then one line each time.</li>
 * </ul>
 *
 * <p>Thread-safe. Time here is elapsed time of this JVM (for rate limiting), never "now" for the
 * database.
 */
public final class LoopErrors {

    private static final int REMEMBERED_ERRORS = 64;
    /**
     * What HikariCP's proxy says, with no SQLSTATE, once the pool has evicted its connection (the
     * server terminated it): the statement ran on a connection that is gone.
     */
    private static final String HIKARI_CLOSED = "Connection is closed";
    /** SQLSTATE 08003, "connection does not exist": pgjdbc's for a connection already closed on this side. */
    private static final String CLOSED_HERE = "08003";
    /** How often a lasting outage is recalled in a WARN line: every 5 min. */
    public static final Duration REMINDER_EVERY = Duration.ofMinutes(5);

    private final Logger log;
    private final String loop;
    private final LongSupplier nanoTime;
    private final Set<String> tracedErrors = new LinkedHashSet<>();
    private long outageStartedNanos;
    private long lastWarnNanos;
    private int failuresInOutage;
    private boolean inOutage;

    /** @param loop how the log names the loop, e.g. "Poll loop on node n1" */
    public LoopErrors(Logger log, String loop) {
        this(log, loop, System::nanoTime);
    }

    LoopErrors(Logger log, String loop, LongSupplier nanoTime) {
        this.log = log;
        this.loop = loop;
        this.nanoTime = nanoTime;
    }

    /** One iteration of the loop failed; it retries in {@code retryIn}. */
    public synchronized void failed(Throwable e, Duration retryIn) {
        String what = describe(e);
        if (isConnectionError(e)) {
            long now = nanoTime.getAsLong();
            failuresInOutage++;
            if (!inOutage) {
                inOutage = true;
                outageStartedNanos = now;
                lastWarnNanos = now;
                log.warn("{} cannot reach the database; retrying in {}: {}", loop, Durations.human(retryIn), what);
            } else if (now - lastWarnNanos >= REMINDER_EVERY.toNanos()) {
                lastWarnNanos = now;
                log.warn("{} still cannot reach the database after {} ({} failed attempt(s)); retrying in {}: {}", loop,
                        Durations.human(Duration.ofMillis((now - outageStartedNanos) / 1_000_000)), failuresInOutage,
                        Durations.human(retryIn), what);
            }
            log.debug("{}: connection error", loop, e);
            return;
        }
        if (rememberTrace(what)) {
            log.error("{} failed; retrying in {}: {}", loop, Durations.human(retryIn), what, e);
        } else {
            log.error("{} failed again; retrying in {}: {}", loop, Durations.human(retryIn), what);
        }
    }

    /** One iteration of the loop worked; ends an outage if there was one. */
    public synchronized void succeeded() {
        if (inOutage) {
            long downMs = (nanoTime.getAsLong() - outageStartedNanos) / 1_000_000;
            log.info("{} reached the database again after {} ({} failed attempt(s))", loop,
                    Durations.human(Duration.ofMillis(downMs)), failuresInOutage);
            inOutage = false;
            failuresInOutage = 0;
        }
    }

    /** Whether the loop is in an outage (its last attempt failed on the connection). */
    public synchronized boolean inOutage() {
        return inOutage;
    }

    private boolean rememberTrace(String what) {
        if (tracedErrors.contains(what)) {
            return false;
        }
        if (tracedErrors.size() >= REMEMBERED_ERRORS) {
            tracedErrors.remove(tracedErrors.iterator().next());
        }
        tracedErrors.add(what);
        return true;
    }

    /**
     * Whether {@code e} says the database cannot be reached or dropped the connection (SQLSTATE
     * class 08, an administrator shutdown or restart, the server starting up, the pool timing out,
     * a refused or reset socket, a pooled connection the pool has closed because the server dropped
     * it), as opposed to an error in what was asked of it.
     */
    public static boolean isConnectionError(Throwable e) {
        if (isDroppedByServer(e)) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && (CLOSED_HERE.equals(sql.getSQLState())
                    || sql.getSQLState() == null && HIKARI_CLOSED.equals(sql.getMessage()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code e} is the database's own word that it dropped the connection or cannot be
     * reached (SQLSTATE class 08 but 08003, an administrator shutdown or restart, the server starting up, a
     * refused or reset socket, the pool timing out): unlike {@link #isConnectionError}, not a
     * connection that was closed on this side (by the pool, or by code that should not have).
     */
    public static boolean isDroppedByServer(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof ConnectException
                    || t instanceof SocketException || t instanceof EOFException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") && !state.equals(CLOSED_HERE) || state.equals("57P01")
                        || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The error in one line: the innermost SQL error's first line if there is one (the statement
     * text that wrappers add is left out), else the outermost message's first line.
     */
    public static String describe(Throwable e) {
        Throwable pick = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException) {
                pick = t;
            }
        }
        String message = pick.getMessage();
        if (message == null || message.isBlank()) {
            return pick.getClass().getSimpleName();
        }
        int end = message.indexOf('\n');
        String first = (end < 0 ? message : message.substring(0, end)).strip();
        return pick == e && !(pick instanceof SQLException) ? first : pick.getClass().getSimpleName() + ": " + first;
    }
}
