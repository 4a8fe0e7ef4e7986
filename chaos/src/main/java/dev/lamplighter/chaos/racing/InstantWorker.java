package dev.lamplighter.chaos.racing;

import org.jdbi.v3.core.Jdbi;

/**
 * The race's stand-in for the workers: a trigger, there only while a race runs, that stores each
 * job of the race completed as it is inserted (an infinitely fast worker), so that the one-instance
 * rule never holds a schedule's next slot back and every due slot should launch. The launch itself,
 * the decision and the advance of {@code next_run} are Lamplighter's, untouched.
 */
final class InstantWorker implements AutoCloseable {

    private final Jdbi jdbi;

    private InstantWorker(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    static InstantWorker install(Jdbi jdbi) {
        jdbi.useHandle(h -> {
            h.execute(RacingSql.CREATE_INSTANT_WORKER_FUNCTION);
            h.execute(RacingSql.DROP_INSTANT_WORKER_TRIGGER);
            h.execute(RacingSql.CREATE_INSTANT_WORKER_TRIGGER);
        });
        return new InstantWorker(jdbi);
    }

    @Override
    public void close() {
        jdbi.useHandle(h -> h.execute(RacingSql.DROP_INSTANT_WORKER_TRIGGER));
    }
}
