/**
 * The built-in conditions of the launcher pattern ({@link dev.lamplighter.conditions.Conditions}):
 * change counters, hysteresis, epoch deltas, SQL conditions, and their composition.
 *
 * <p>Conditions are immutable and thread-safe; their state lives in the {@code lamplighter} schema
 * (counters, epochs and claims, hysteresis state) and is written in the decision's transaction, so
 * it commits with the decision or not at all.
 *
 * <p>SQL conditions run as the condition role ({@link dev.lamplighter.LaunchContext#conditionRole()}),
 * through {@code lamplighter.run_condition}, never with the node's own privileges: whoever can
 * write a schedule's {@code params} can choose the query.
 */
package dev.lamplighter.conditions;
