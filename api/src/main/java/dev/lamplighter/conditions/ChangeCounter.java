package dev.lamplighter.conditions;

import dev.lamplighter.Decision;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.internal.SqlFiles;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;

/** See {@link Conditions#changeCounter}. */
final class ChangeCounter implements Condition {

    private static final String READ = SqlFiles.load("conditions/counter_read");

    private final String counter;
    private final long threshold;

    ChangeCounter(String counter, long threshold) {
        this.counter = Conditions.requireName("counter", counter);
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold = " + threshold + " is not allowed: expected 1 or more");
        }
        this.threshold = threshold;
    }

    @Override
    public Decision evaluate(LaunchContext ctx) throws Exception {
        long value;
        long consumed;
        try (PreparedStatement ps = Jdbc.prepare(ctx.connection(), READ, counter); ResultSet rs = ps.executeQuery()) {
            rs.next();
            value = rs.getLong("value");
            consumed = rs.getLong("consumed");
        }
        long delta = value - consumed;
        Map<String, Object> figures = Map.of("counter", counter, "value", value, "consumed", consumed,
                "delta", delta, "threshold", threshold);
        if (delta >= threshold) {
            return Decision.launch(Map.of("counter", counter, "consume_up_to", value),
                            "counter '" + counter + "' delta (" + delta + ") >= threshold (" + threshold + ")")
                    .withFigures(figures).consuming(counter, value);
        }
        return Decision.skip("counter '" + counter + "' delta (" + delta + ") below threshold (" + threshold + ")")
                .withFigures(figures);
    }
}
