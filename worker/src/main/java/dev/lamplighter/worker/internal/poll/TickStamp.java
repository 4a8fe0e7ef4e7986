package dev.lamplighter.worker.internal.poll;

import java.time.Clock;
import java.time.Instant;

/**
 * When this node's loop ended its last tick, as {@code Lamplighter.lastTick()} and {@code /health}
 * show it: the test clock when one is injected, else the JVM's. Shown only, never written to the
 * database (where every time comes from the server's clock); the one place the worker reads the
 * wall clock, so that the one-clock guard keeps the rest of the poll loop covered.
 */
final class TickStamp {

    private TickStamp() {
    }

    /** @param clock the injected clock, or null in production */
    static Instant now(Clock clock) {
        return clock == null ? Instant.now() : clock.instant();
    }
}
