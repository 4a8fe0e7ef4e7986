package dev.lamplighter.chaos.restart;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds a launcher's check or a handler's run at an exact moment: the code under test calls
 * {@link #hold} (which says it has {@link #entered()} and waits), the program cuts a connection,
 * then {@link #release()}s it. Only the first {@link #hold} waits; later ones (the check made
 * again, the job run again) pass, and are counted.
 */
final class Gate {

    /** How long a held check or run waits for its release at most. */
    static final Duration HOLD_AT_MOST = Duration.ofSeconds(60);

    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile int passes;
    private volatile long backendPid;

    /**
     * Called by the code under test.
     *
     * @param backendPid the backend of the connection it runs on, or 0
     * @throws InterruptedException if interrupted while held
     */
    void hold(long backendPid) throws InterruptedException {
        boolean first;
        synchronized (this) {
            first = passes++ == 0;
        }
        if (first) {
            this.backendPid = backendPid;
            entered.countDown();
            if (!released.await(HOLD_AT_MOST.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("held for " + HOLD_AT_MOST + " and never released");
            }
        }
    }

    /** {@return whether the code under test reached the gate within {@code timeout}} */
    boolean entered(Duration timeout) throws InterruptedException {
        return entered.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void release() {
        released.countDown();
    }

    /** {@return how many times the code under test passed the gate (the held pass included)} */
    int passes() {
        return passes;
    }

    /** {@return the backend pid the held pass ran on} */
    long backendPid() {
        return backendPid;
    }
}
