package dev.lamplighter.conditions;

import dev.lamplighter.LaunchContext;

/** Where a {@link Conditions#hysteresis} condition reads its figure: a ratio, a backlog, a lag. */
@FunctionalInterface
public interface ValueSource {

    /**
     * Reads the figure now, inside the decision's transaction.
     *
     * @param ctx the schedule being checked, and the decision's connection
     * @return the figure the watermarks are compared with
     * @throws Exception any failure; counted as a launcher failure
     */
    double read(LaunchContext ctx) throws Exception;
}
