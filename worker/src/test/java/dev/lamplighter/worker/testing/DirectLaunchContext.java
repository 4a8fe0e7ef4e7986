package dev.lamplighter.worker.testing;

import dev.lamplighter.LaunchContext;
import dev.lamplighter.Params;
import dev.lamplighter.TriggerSource;
import java.sql.Connection;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * What a condition sees when a test evaluates it directly, outside the poll loop: a schedule name
 * (also the job type), the caller's connection, the condition role, and {@code now} as the slot;
 * no params, UTC, no previous success, a manual trigger.
 */
public record DirectLaunchContext(String scheduleName, Connection connection, String conditionRole, Instant now)
        implements LaunchContext {

    /** With the default condition role. */
    public DirectLaunchContext(String scheduleName, Connection connection, Instant now) {
        this(scheduleName, connection, LaunchContext.DEFAULT_CONDITION_ROLE, now);
    }

    @Override
    public String jobType() {
        return scheduleName;
    }

    @Override
    public Params params() {
        return Params.empty();
    }

    @Override
    public Instant slot() {
        return now;
    }

    @Override
    public ZoneId timeZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Optional<Instant> lastSuccess() {
        return Optional.empty();
    }

    @Override
    public TriggerSource triggerSource() {
        return TriggerSource.MANUAL;
    }
}
