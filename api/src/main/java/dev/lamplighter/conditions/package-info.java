/**
 * The built-in conditions of the launcher pattern ({@link dev.lamplighter.conditions.Conditions}):
 * change counters, hysteresis, epoch deltas, SQL conditions, and their composition.
 *
 * <p>Conditions are immutable and thread-safe; their state lives in the {@code lamplighter} schema
 * (counters, epochs and claims, hysteresis state) and is written in the decision's transaction, so
 * it commits with the decision or not at all.
 */
package dev.lamplighter.conditions;
