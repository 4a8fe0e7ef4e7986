package dev.lamplighter.cli;

import dev.lamplighter.worker.internal.config.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Reads {@code --for 60s} and the like. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        Duration d = Durations.parse("--for", value);
        if (d.isNegative() || d.isZero()) {
            throw new CommandLine.TypeConversionException("--for = \"" + value + "\" is not allowed: expected a positive duration such as 60s");
        }
        return d;
    }
}
