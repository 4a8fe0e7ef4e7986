package dev.lamplighter.worker.internal.poll;

/**
 * What one tick of the poll loop did.
 *
 * @param leader whether this node held the tick lock (a node that did not skipped the tick)
 * @param notChecked due schedules this node left alone: another node was checking them, or this
 *     tick reported that it cannot check them (launcher not registered here, capability missing)
 * @param moreDue the tick checked as many schedules as its batch limit allows and more may be due:
 *     the loop ticks again at once instead of waiting for the poll interval
 * @param rescheduled schedules whose next_run was recomputed after a timetable change by SQL
 * @param durationMs how long the tick took
 */
public record TickResult(boolean leader, int launched, int skipped, int failed, int notChecked, boolean moreDue,
                         int rescheduled, double durationMs) {

    static TickResult follower(double durationMs) {
        return new TickResult(false, 0, 0, 0, 0, false, 0, durationMs);
    }

    public int checked() {
        return launched + skipped + failed;
    }
}
