package dev.lamplighter.worker.internal;

import dev.lamplighter.worker.events.AttemptEvent;
import dev.lamplighter.worker.events.CheckEvent;
import dev.lamplighter.worker.events.LamplighterListener;
import dev.lamplighter.worker.events.TickEvent;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one node, and how they are called: each in turn, each call in its own
 * try/catch, so that one listener that throws never stops the loop that called it nor the other
 * listeners. A listener's failure is logged once per listener and method (one WARN line, no stack
 * trace; the trace is at DEBUG). Callers ask {@link #active()} before they build an event, so that
 * a node with no listener allocates nothing for them. Thread-safe: listeners may be added and
 * removed while the node runs.
 */
public final class Listeners {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);
    private static final LamplighterListener[] NONE = new LamplighterListener[0];

    private volatile LamplighterListener[] all = NONE;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    /** No listener yet. */
    public Listeners() {
    }

    /** Adds a listener; adding the same one twice adds it once. */
    public synchronized void add(LamplighterListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (Arrays.asList(all).contains(listener)) {
            return;
        }
        LamplighterListener[] next = Arrays.copyOf(all, all.length + 1);
        next[all.length] = listener;
        all = next;
    }

    /** Removes a listener; returns whether it was there. */
    public synchronized boolean remove(LamplighterListener listener) {
        LamplighterListener[] now = all;
        LamplighterListener[] next = Arrays.stream(now).filter(l -> l != listener).toArray(LamplighterListener[]::new);
        all = next.length == 0 ? NONE : next;
        return next.length != now.length;
    }

    /** Whether any listener is registered: when not, callers build no event. */
    public boolean active() {
        return all.length > 0;
    }

    public void tickEnded(TickEvent event) {
        for (LamplighterListener l : all) {
            call(l, "tickEnded", () -> l.tickEnded(event));
        }
    }

    public void checked(CheckEvent event) {
        for (LamplighterListener l : all) {
            call(l, "checked", () -> l.checked(event));
        }
    }

    public void scheduleDisabled(String schedule, String error) {
        for (LamplighterListener l : all) {
            call(l, "scheduleDisabled", () -> l.scheduleDisabled(schedule, error));
        }
    }

    public void claimed(String jobType, int count) {
        for (LamplighterListener l : all) {
            call(l, "claimed", () -> l.claimed(jobType, count));
        }
    }

    public void attemptEnded(AttemptEvent event) {
        for (LamplighterListener l : all) {
            call(l, "attemptEnded", () -> l.attemptEnded(event));
        }
    }

    public void rescued(String jobType, int count) {
        for (LamplighterListener l : all) {
            call(l, "rescued", () -> l.rescued(jobType, count));
        }
    }

    /** Each group's size, in order of first appearance: calls {@code each} once per key. */
    public static <T> void countBy(Iterable<T> items, java.util.function.Function<T, String> key,
                                   java.util.function.ObjIntConsumer<String> each) {
        java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        for (T item : items) {
            counts.merge(key.apply(item), 1, Integer::sum);
        }
        counts.forEach(each::accept);
    }

    private void call(LamplighterListener listener, String method, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | LinkageError | AssertionError e) {
            if (reported.add(System.identityHashCode(listener) + "/" + listener.getClass().getName() + "." + method)) {
                log.warn("Listener {} threw from {} ({}); the node goes on and calls it again, and further failures of "
                        + "this listener's {} are not logged", listener.getClass().getName(), method, e, method);
            }
            log.debug("Listener {} threw from {}", listener.getClass().getName(), method, e);
        }
    }
}
