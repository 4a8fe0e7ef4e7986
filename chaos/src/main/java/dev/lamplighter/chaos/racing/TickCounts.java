package dev.lamplighter.chaos.racing;

/**
 * One node's ticks in a race.
 *
 * @param nodeId the node
 * @param ledWithChecks ticks it led that checked schedules
 * @param ledEmpty ticks it led that found nothing due
 * @param lockHeld ticks it skipped because another node held the lock (lock contention)
 */
public record TickCounts(String nodeId, long ledWithChecks, long ledEmpty, long lockHeld) {

    /** How a node process prints its counts on its last line, so that the program can read them. */
    static final String LINE_PREFIX = "race-ticks ";

    static TickCounts of(String nodeId, TickCounter c) {
        return new TickCounts(nodeId, c.ledWithChecks(), c.ledEmpty(), c.lockHeld());
    }

    static TickCounts parse(String line) {
        String[] f = line.substring(LINE_PREFIX.length()).trim().split(" ");
        return new TickCounts(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
    }
}
