package dev.lamplighter.conditions;

import dev.lamplighter.Decision;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.internal.SqlFiles;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Locale;
import java.util.Map;

/** See {@link Conditions#hysteresis}. */
final class Hysteresis implements Condition {

    private static final String READ = SqlFiles.load("conditions/hysteresis_read");
    private static final String WRITE = SqlFiles.load("conditions/hysteresis_write");

    private final String name;
    private final ValueSource source;
    private final double high;
    private final double low;

    Hysteresis(String name, ValueSource source, double high, double low) {
        this.name = Conditions.requireName("name", name);
        this.source = java.util.Objects.requireNonNull(source, "source");
        if (Double.isNaN(high) || Double.isNaN(low) || low > high) {
            throw new IllegalArgumentException("watermarks high = " + high + ", low = " + low
                    + " are not allowed: expected numbers with low <= high");
        }
        this.high = high;
        this.low = low;
    }

    @Override
    public Decision evaluate(LaunchContext ctx) throws Exception {
        double value = source.read(ctx);
        boolean wasActive = false;
        try (PreparedStatement ps = Jdbc.prepare(ctx.connection(), READ, ctx.scheduleName(), name);
             ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                wasActive = rs.getBoolean("active");
            }
        }
        boolean active = value > high || (value >= low && wasActive);
        Jdbc.update(ctx.connection(), WRITE, ctx.scheduleName(), name, active, value);
        Map<String, Object> figures = Map.of("condition", name, "value", value, "high_watermark", high,
                "low_watermark", low, "was_on", wasActive, "on", active);
        String shown = name + " " + fmt(value);
        String reason;
        if (value > high) {
            reason = shown + " above high watermark " + fmt(high);
        } else if (value < low) {
            reason = shown + " below low watermark " + fmt(low);
        } else {
            reason = shown + " between watermarks " + fmt(low) + " and " + fmt(high) + ", staying " + (active ? "on" : "off");
        }
        return active ? Decision.launch(Map.of(name, value), reason).withFigures(figures)
                : Decision.skip(reason).withFigures(figures);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v).replaceAll("\\.?0+$", "");
    }
}
