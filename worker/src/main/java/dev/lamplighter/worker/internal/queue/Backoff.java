package dev.lamplighter.worker.internal.queue;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The wait before a failed job attempt is retried: base × 2^(attempt − 1), capped at max, plus up
 * to 10 % jitter so that jobs that failed together do not all retry in the same instant.
 */
public final class Backoff {

    private static final int MAX_DOUBLINGS = 30;

    private Backoff() {
    }

    /** @param attempt the attempt that just failed, from 1 */
    public static Duration delay(Duration base, Duration max, int attempt, RandomGenerator random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt = " + attempt + " is not allowed: expected 1 or more");
        }
        long baseMs = base.toMillis();
        long shift = Math.min(attempt - 1, MAX_DOUBLINGS);
        long ms = baseMs > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : baseMs << shift;
        ms = Math.min(ms, max.toMillis());
        long jitter = ms / 10 == 0 ? 0 : random.nextLong(ms / 10 + 1);
        return Duration.ofMillis(ms + jitter);
    }
}
