package dev.lamplighter.worker.internal.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations as people write them: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 1d}, or ISO-8601 {@code PT1M}. */
public final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|min|h|d)");

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException naming the setting, the value and what is allowed
     */
    public static Duration parse(String setting, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(setting + " is empty: expected a duration such as 500ms, 30s, 2m, 1h or PT1M");
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(t);
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m", "min" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException(setting + " = \"" + text
                        + "\" is not allowed: too long to hold; expected a duration such as 500ms, 30s, 2m, 1h or PT1M", e);
            }
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(setting + " = \"" + text
                    + "\" is not allowed: expected a duration such as 500ms, 30s, 2m, 1h or PT1M", e);
        }
    }

    /** Short human form: 120000 ms is "2min", 90 s is "90s", 250 ms is "250ms". */
    public static String human(Duration d) {
        if (d.getSeconds() > Long.MAX_VALUE / 1000 || d.getSeconds() < Long.MIN_VALUE / 1000) {
            return d.toDays() + "d"; // beyond what milliseconds hold
        }
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return (ms / 3_600_000) + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return (ms / 60_000) + "min";
        }
        if (ms % 1000 == 0) {
            return (ms / 1000) + "s";
        }
        return ms + "ms";
    }
}
