package dev.lamplighter.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command in the foreground until it returns. Ctrl-C (or any JVM shutdown) counts down the
 * latch the body was given and waits, up to {@link #SHUTDOWN_WAIT_SECONDS}, for the body to
 * return, so that it can stop its node and close its database (the embedded server included).
 */
final class Foreground {

    static final int SHUTDOWN_WAIT_SECONDS = 60;

    interface Body {
        void run(CountDownLatch stopRequested) throws Exception;
    }

    private Foreground() {
    }

    static void run(Body body) throws Exception {
        CountDownLatch stopRequested = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopRequested.countDown();
            try {
                finished.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "lamplighter-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            body.run(stopRequested);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for us.
            }
        }
    }
}
