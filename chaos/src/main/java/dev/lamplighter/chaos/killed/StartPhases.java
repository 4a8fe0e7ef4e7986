package dev.lamplighter.chaos.killed;

/**
 * Seconds one worker process spent on each step from its start to its first claim.
 *
 * @param node the worker's node id
 * @param jvm process start to {@code main} (JVM start, class loading)
 * @param pool {@code main} to an open HikariCP pool (settings, driver, first connections)
 * @param flyway Flyway's migrate (validate; nothing to apply)
 * @param nodeStart {@code Lamplighter.start()} (schema check, registrations, heartbeat, LISTEN, loops)
 * @param toClaim node started to its first claim (0 when the claim came during the start)
 * @param total process start to first claim
 */
public record StartPhases(String node, double jvm, double pool, double flyway, double nodeStart, double toClaim,
                          double total) {
}
