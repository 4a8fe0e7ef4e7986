package dev.lamplighter.worker.events;

import java.time.Duration;
import java.util.Objects;

/**
 * One poll-loop tick of a node.
 *
 * @param nodeId the node
 * @param led whether this node held the tick lock (only a led tick checks schedules)
 * @param launched checks that launched a job
 * @param skipped checks that did not launch (a condition not met, one instance active, a missed
 *     slot, a slot already launched)
 * @param failed checks that failed (launcher error or broken row)
 * @param took how long the tick took, lock and commit included
 * @param lag how late the oldest checked slot was checked: the check's "now" minus the slot's
 *     {@code next_run}; {@link Duration#ZERO} when nothing was checked
 */
public record TickEvent(String nodeId, boolean led, int launched, int skipped, int failed, Duration took,
                        Duration lag) {

    /**
     * Checks all fields are present.
     *
     * @throws NullPointerException naming a missing field
     */
    public TickEvent {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(took, "took");
        Objects.requireNonNull(lag, "lag");
    }

    /**
     * Launched, skipped and failed together.
     *
     * @return how many schedules the tick checked
     */
    public int checked() {
        return launched + skipped + failed;
    }
}
