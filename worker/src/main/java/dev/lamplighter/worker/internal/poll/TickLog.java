package dev.lamplighter.worker.internal.poll;

import java.time.Duration;

/**
 * What the poll loop says at INFO about its ticks: one line for a tick that checked something
 * (launched, skipped and failed counts, and its duration), and while nothing is due, one summary
 * line at most every {@link #DEFAULT_IDLE_SUMMARY} ("Poll loop alive on node n1: 5 ticks, 0 due,
 * last tick 12 ms"), so that an idle node still shows in the log that its loop runs.
 *
 * <p>Time here is the JVM's elapsed time (rate limiting only). Not thread-safe: the loop thread
 * owns it.
 */
public final class TickLog {

    /** The longest an idle node stays silent at INFO. */
    public static final Duration DEFAULT_IDLE_SUMMARY = Duration.ofMinutes(5);

    private final String nodeId;
    private final long idleSummaryNanos;
    private long lastLineNanos;
    private boolean started;
    private long ticks;
    private long led;
    private long due;

    public TickLog(String nodeId, Duration idleSummary) {
        this.nodeId = nodeId;
        this.idleSummaryNanos = idleSummary.toNanos();
    }

    /**
     * Accounts for one tick.
     *
     * @param nanoTime the JVM's elapsed time now ({@link System#nanoTime()})
     * @return the line to log at INFO, or null for nothing
     */
    public String afterTick(TickResult r, long nanoTime) {
        if (!started) {
            started = true;
            lastLineNanos = nanoTime;
        }
        ticks++;
        if (r.leader()) {
            led++;
        }
        due += r.checked() + r.notChecked();
        if (r.checked() > 0) {
            String line = String.format(java.util.Locale.ROOT,
                    "Tick on node %s: launched=%d skipped=%d failed=%d%s in %.0f ms%s", nodeId, r.launched(),
                    r.skipped(), r.failed(), r.notChecked() > 0 ? " not-checked=" + r.notChecked() : "",
                    r.durationMs(), r.moreDue() ? "; more are due, ticking again at once" : "");
            reset(nanoTime);
            return line;
        }
        if (nanoTime - lastLineNanos >= idleSummaryNanos) {
            String line = String.format(java.util.Locale.ROOT,
                    "Poll loop alive on node %s: %d ticks (%d led), %d due, last tick %.0f ms", nodeId, ticks, led, due,
                    r.durationMs());
            reset(nanoTime);
            return line;
        }
        return null;
    }

    private void reset(long nanoTime) {
        lastLineNanos = nanoTime;
        ticks = 0;
        led = 0;
        due = 0;
    }
}
