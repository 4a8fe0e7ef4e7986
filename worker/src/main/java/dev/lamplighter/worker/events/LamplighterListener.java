package dev.lamplighter.worker.events;

/**
 * What happens inside one Lamplighter node, as it happens: for metrics (the
 * {@code dev.lamplighter.worker.metrics.LamplighterMeterBinder} is one), tracing or tests.
 * Register with {@code Lamplighter.builder(dataSource).listener(listener)} (several may be), or
 * {@code Lamplighter.addListener} on a built node.
 *
 * <p>Every method has an empty default, so an implementation overrides only what it needs. The
 * node calls a method after the change it reports has committed (never for a change that a
 * rollback undid), on the thread that observed it (the poll loop's, a worker's, the completion
 * writer's, the rescuer's), so an implementation must be quick and thread-safe. A method that
 * throws is logged once per listener and method (one WARN line, no stack trace per call); the node
 * goes on and keeps calling it. With no listener registered the node builds no event.
 */
public interface LamplighterListener {

    /**
     * A poll-loop tick ended, led or not.
     *
     * @param event the tick's counts, duration and lag
     */
    default void tickEnded(TickEvent event) {
    }

    /**
     * One due schedule was checked and the outcome committed.
     *
     * @param event the schedule, outcome, reason class, duration and trigger source
     */
    default void checked(CheckEvent event) {
    }

    /**
     * A schedule's check failed for the {@code max_retries}-th time in a row, and the schedule was
     * disabled (in the same transaction as the failure).
     *
     * @param schedule the schedule's name
     * @param error the failure, as kept in {@code last_error}
     */
    default void scheduleDisabled(String schedule, String error) {
    }

    /**
     * A worker claimed jobs of one type (called once per type per claim).
     *
     * @param jobType the job type
     * @param count how many jobs of it the claim took, 1 or more
     */
    default void claimed(String jobType, int count) {
    }

    /**
     * One attempt's outcome was written.
     *
     * @param event the job type, outcome and run duration
     */
    default void attemptEnded(AttemptEvent event) {
    }

    /**
     * The rescuer took back jobs of one type whose lease ran out (to the queue while attempts
     * remain, else failed).
     *
     * @param jobType the job type
     * @param count how many jobs of it, 1 or more
     */
    default void rescued(String jobType, int count) {
    }
}
