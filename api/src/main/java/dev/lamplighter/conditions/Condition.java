package dev.lamplighter.conditions;

import dev.lamplighter.Decision;
import dev.lamplighter.LaunchContext;

/**
 * One check of whether work is needed: the building block of launchers. Built-in conditions come
 * from {@link Conditions}; they compose with {@link Conditions#all} and {@link Conditions#any}, and
 * become a launcher with {@link Conditions#launcher}.
 *
 * <p>A condition runs inside the decision's transaction ({@link LaunchContext#connection()}).
 * State it writes (an epoch claim, a hysteresis state) commits with the decision; a composition
 * that ends in a skip rolls back what its parts wrote.
 */
@FunctionalInterface
public interface Condition {

    /**
     * Launch or skip, with the reason and the figures looked at.
     *
     * @param ctx the schedule being checked, and the decision's connection
     * @return the decision; never null
     * @throws Exception any failure; the launcher that runs this condition counts it as a failure
     */
    Decision evaluate(LaunchContext ctx) throws Exception;
}
