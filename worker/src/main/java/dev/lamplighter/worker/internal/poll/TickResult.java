package dev.lamplighter.worker.internal.poll;

/**
 * What one tick of the poll loop did.
 *
 * @param leader whether this node held the tick lock (a node that did not skipped the tick)
 * @param notChecked due schedules this node left alone: another node was checking them, or their
 *     launcher is not registered here
 */
public record TickResult(boolean leader, int launched, int skipped, int failed, int notChecked) {

    static TickResult follower() {
        return new TickResult(false, 0, 0, 0, 0);
    }

    public int checked() {
        return launched + skipped + failed;
    }
}
