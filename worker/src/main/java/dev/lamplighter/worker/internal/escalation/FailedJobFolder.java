package dev.lamplighter.worker.internal.escalation;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The rate limit of failed-job messages: at most one per job type per interval. The first failure
 * of a type is sent at once and opens the type's window; failures inside it are folded (counted,
 * the last one kept); when the window ends ({@link #windowEnded}) the folded ones are sent as one
 * message, which opens the next window, or, when none was folded, the window closes. It keeps no
 * time itself: the caller ends each window after the interval. Thread-safe.
 */
final class FailedJobFolder {

    /** What a window folded: how many failures, and the last of them. */
    record Folded(String jobType, int count, long lastJobId) {
    }

    private static final class Window {
        int folded;
        long lastJobId;
    }

    private final Map<String, Window> open = new HashMap<>();

    /**
     * A job of {@code jobType} failed for good.
     *
     * @return true when it is to be sent now (its type had no open window: one opens, and the
     *     caller ends it after the interval); false when it was folded into the open window
     */
    synchronized boolean failed(String jobType, long jobId) {
        Window w = open.get(jobType);
        if (w == null) {
            open.put(jobType, new Window());
            return true;
        }
        w.folded++;
        w.lastJobId = jobId;
        return false;
    }

    /**
     * The window of {@code jobType} ended: what it folded, to send now (the next window opens, and
     * the caller ends it after the interval), or empty (nothing was folded: the window closes).
     */
    synchronized Optional<Folded> windowEnded(String jobType) {
        Window w = open.get(jobType);
        if (w == null) {
            return Optional.empty();
        }
        if (w.folded == 0) {
            open.remove(jobType);
            return Optional.empty();
        }
        Folded f = new Folded(jobType, w.folded, w.lastJobId);
        open.put(jobType, new Window());
        return Optional.of(f);
    }

    /** Failures folded and not sent yet, over every type (reported when the node stops). */
    synchronized int pending() {
        return open.values().stream().mapToInt(w -> w.folded).sum();
    }
}
