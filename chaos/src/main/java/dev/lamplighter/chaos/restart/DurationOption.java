package dev.lamplighter.chaos.restart;

import dev.lamplighter.worker.internal.config.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Reads a duration as the node's settings do: {@code 500ms}, {@code 10s}, {@code 2min}, {@code 1h}. */
final class DurationOption implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse("duration", value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration: expected for example 500ms, 10s, 2min");
        }
    }
}
