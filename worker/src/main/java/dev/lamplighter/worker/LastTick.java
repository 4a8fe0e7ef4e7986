package dev.lamplighter.worker;

import java.time.Instant;
import java.util.Optional;

/**
 * When the poll loop last ran, on this node and in the cluster ({@link Lamplighter#lastTick()}).
 * Every node ticks each poll interval; only the one that takes the advisory lock leads the tick
 * (checks the due schedules) and writes {@code lamplighter.nodes.last_led_tick_at}.
 *
 * @param at when this node's loop last ended a tick, led or not, on the node's clock (the test
 *     clock when one is set); empty before its first tick, or when the node runs no poll loop
 * @param led whether that tick was led by this node; false when {@code at} is empty
 * @param clusterLastLedAt the latest {@code last_led_tick_at} of {@code lamplighter.nodes}: when
 *     some node last led a tick; empty when none ever did
 */
public record LastTick(Optional<Instant> at, boolean led, Optional<Instant> clusterLastLedAt) {

    /**
     * Checks the fields are present.
     *
     * @throws NullPointerException naming a missing field
     */
    public LastTick {
        java.util.Objects.requireNonNull(at, "at");
        java.util.Objects.requireNonNull(clusterLastLedAt, "clusterLastLedAt");
    }
}
