package dev.lamplighter.conditions;

import dev.lamplighter.LaunchContext;

/** Where a {@link Conditions#hysteresis} condition reads its figure: a ratio, a backlog, a lag. */
@FunctionalInterface
public interface ValueSource {

    double read(LaunchContext ctx) throws Exception;
}
