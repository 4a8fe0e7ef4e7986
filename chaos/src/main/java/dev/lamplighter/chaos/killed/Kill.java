package dev.lamplighter.chaos.killed;

import java.time.Duration;

/**
 * One {@code kill -9} and what became of the jobs the killed worker held.
 *
 * @param node the killed worker's node id
 * @param inFlight jobs it held (running, or claimed and waiting in its prefetch buffer)
 * @param rescued how many of them the rescuer took back
 * @param toFirstRescue from the kill to the first of them rescued; null when none was
 * @param toLastRescue from the kill to the last of them rescued; null when none was
 */
public record Kill(String node, int inFlight, long rescued, Duration toFirstRescue, Duration toLastRescue) {
}
