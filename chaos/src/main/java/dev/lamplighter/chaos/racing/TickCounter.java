package dev.lamplighter.chaos.racing;

import dev.lamplighter.worker.events.LamplighterListener;
import dev.lamplighter.worker.events.TickEvent;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts one node's poll-loop ticks: led with checks, led with nothing due, and skipped because
 * another node held the tick lock. Tells a waiting thread at each tick's end.
 */
public final class TickCounter implements LamplighterListener {

    private final Object monitor;
    private final AtomicLong ended = new AtomicLong();
    private final AtomicLong ledWithChecks = new AtomicLong();
    private final AtomicLong ledEmpty = new AtomicLong();
    private final AtomicLong lockHeld = new AtomicLong();

    /**
     * A counter that calls {@code notifyAll()} on {@code monitor} after each tick.
     *
     * @param monitor what a waiting thread waits on
     */
    public TickCounter(Object monitor) {
        this.monitor = monitor;
    }

    @Override
    public void tickEnded(TickEvent event) {
        if (!event.led()) {
            lockHeld.incrementAndGet();
        } else if (event.checked() > 0) {
            ledWithChecks.incrementAndGet();
        } else {
            ledEmpty.incrementAndGet();
        }
        ended.incrementAndGet();
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    /** @return ticks ended so far */
    public long ended() {
        return ended.get();
    }

    /** @return ticks this node led that checked at least one schedule */
    public long ledWithChecks() {
        return ledWithChecks.get();
    }

    /** @return ticks this node led that found nothing due (another node had just handled it) */
    public long ledEmpty() {
        return ledEmpty.get();
    }

    /** @return ticks skipped because another node held the tick lock */
    public long lockHeld() {
        return lockHeld.get();
    }

    /**
     * This node's line of the report.
     *
     * @param nodeId the node
     * @return the counts as one line
     */
    public String line(String nodeId) {
        return TickCounts.LINE_PREFIX + nodeId + " " + ledWithChecks() + " " + ledEmpty() + " " + lockHeld();
    }
}
