package dev.lamplighter.worker.internal.schedule;

import java.time.Duration;

/**
 * The wait before a failed launcher is checked again: base × 2^(retry − 1), so 2, 4, 8, 16 minutes
 * with the default base of 2 minutes.
 */
public final class LauncherBackoff {

    private static final int MAX_DOUBLINGS = 20;

    private LauncherBackoff() {
    }

    /** @param retry the retry about to be scheduled, from 1 */
    public static Duration delay(Duration base, int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry = " + retry + " is not allowed: expected 1 or more");
        }
        return base.multipliedBy(1L << Math.min(retry - 1, MAX_DOUBLINGS));
    }
}
