package dev.lamplighter.worker.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * How a background loop sleeps: until its interval has passed or someone calls {@link #wake()},
 * whichever comes first. A wake that arrives while the loop is busy is kept for its next wait.
 */
public final class WakeSignal {

    private boolean requested;

    public synchronized void wake() {
        requested = true;
        notifyAll();
    }

    /** Waits up to {@code interval}, or until woken, or until {@code running} turns false after a wake. */
    public synchronized void await(Duration interval, BooleanSupplier running) {
        long deadline = System.nanoTime() + interval.toNanos();
        while (running.getAsBoolean() && !requested) {
            long waitMs = (deadline - System.nanoTime()) / 1_000_000;
            if (waitMs <= 0) {
                break;
            }
            try {
                wait(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        requested = false;
    }
}
