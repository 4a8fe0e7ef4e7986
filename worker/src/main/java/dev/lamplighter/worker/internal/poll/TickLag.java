package dev.lamplighter.worker.internal.poll;

import java.time.Duration;
import java.time.Instant;

/**
 * How late a tick checked its oldest slot: the largest "now" minus {@code next_run} of the checks
 * it committed, both on the check's own clock (the database's, or the test clock). Made only when
 * a listener is registered. Not thread-safe: one tick, one thread.
 */
final class TickLag {

    private long maxSeconds = Long.MIN_VALUE;
    private int maxNanos;

    /** A check committed at {@code now} for the slot {@code slot}. */
    void checked(Instant now, Instant slot) {
        long seconds = now.getEpochSecond() - slot.getEpochSecond();
        int nanos = now.getNano() - slot.getNano();
        if (nanos < 0) {
            seconds--;
            nanos += 1_000_000_000;
        }
        if (seconds > maxSeconds || (seconds == maxSeconds && nanos > maxNanos)) {
            maxSeconds = seconds;
            maxNanos = nanos;
        }
    }

    /** The largest lag seen; zero when nothing was checked, or when every slot was checked early. */
    Duration lag() {
        if (maxSeconds == Long.MIN_VALUE || maxSeconds < 0) {
            return Duration.ZERO;
        }
        return Duration.ofSeconds(maxSeconds, maxNanos);
    }
}
