package dev.lamplighter;

import java.sql.Connection;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * What a {@link Launcher} sees of the schedule it checks. Valid only during
 * {@link Launcher#checkConditions}.
 */
public interface LaunchContext {

    /** The database role SQL conditions run under unless the node names another. */
    String DEFAULT_CONDITION_ROLE = "lamplighter_condition";

    /** {@return the schedule's {@code name}} */
    String scheduleName();

    /** {@return the {@code job_type} a launch will enqueue} */
    String jobType();

    /** {@return the schedule's {@code params}, already checked by {@link Launcher#validateParams}} */
    Params params();

    /** {@return the time of this check (the database's clock, or the test's)} */
    Instant now();

    /** {@return the {@code next_run} that made the schedule due: the slot this check decides} */
    Instant slot();

    /** {@return the schedule's time zone} */
    ZoneId timeZone();

    /** {@return when the schedule last launched a job, if ever} */
    Optional<Instant> lastSuccess();

    /** {@return what made this check happen} */
    TriggerSource triggerSource();

    /**
     * The connection of the decision's transaction. Use it for condition queries; do not commit,
     * roll back or close it.
     *
     * @return the connection, open, inside the decision's transaction
     */
    Connection connection();

    /**
     * The database role that SQL conditions ({@code Conditions.sql}, launcher {@code lamplighter.sql})
     * run under, with {@code SET LOCAL ROLE} inside their savepoint, never as the node's own role:
     * the node's {@code LAMPLIGHTER_CONDITION_ROLE}, default {@value #DEFAULT_CONDITION_ROLE}.
     *
     * @return the role's name
     */
    default String conditionRole() {
        return DEFAULT_CONDITION_ROLE;
    }
}
