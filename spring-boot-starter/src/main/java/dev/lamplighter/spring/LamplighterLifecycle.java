package dev.lamplighter.spring;

import dev.lamplighter.worker.Lamplighter;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the {@link Lamplighter} node when the application context has started and closes it
 * when the context stops. Its phase ({@link #PHASE}) is late, so the node starts after the other
 * lifecycle beans (the web server among them) and stops before them: a stopping application stops
 * launching and claiming first, then drains in-flight jobs for up to
 * {@code lamplighter.shutdown-timeout} (jobs still running then go back to {@code queued}), while
 * the DataSource is still open. {@link #stop()} blocks until the node is closed.
 */
public class LamplighterLifecycle implements SmartLifecycle {

    /** Above the web server's graceful shutdown phase: started last, stopped first. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private final Lamplighter node;
    private volatile boolean running;

    /**
     * A lifecycle for one node.
     *
     * @param node the node, built but not started
     */
    public LamplighterLifecycle(Lamplighter node) {
        this.node = node;
    }

    @Override
    public void start() {
        node.start();
        running = true;
    }

    @Override
    public void stop() {
        try {
            node.close();
        } finally {
            running = false;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
