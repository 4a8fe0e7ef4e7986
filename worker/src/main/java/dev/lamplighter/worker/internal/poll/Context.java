package dev.lamplighter.worker.internal.poll;

import dev.lamplighter.LaunchContext;
import dev.lamplighter.Params;
import dev.lamplighter.TriggerSource;
import java.sql.Connection;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/** The {@link LaunchContext} of one check. */
record Context(String scheduleName, String jobType, Params params, Instant now, Instant slot,
               ZoneId timeZone, Optional<Instant> lastSuccess, TriggerSource triggerSource,
               Connection connection, String conditionRole) implements LaunchContext {
}
