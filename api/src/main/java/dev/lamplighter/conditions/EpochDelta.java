package dev.lamplighter.conditions;

import dev.lamplighter.Decision;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.internal.SqlFiles;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;

/** See {@link Conditions#epochDelta}. */
final class EpochDelta implements Condition {

    private static final String ENSURE = SqlFiles.load("conditions/epoch_claim_ensure");
    private static final String CHECK_AND_CLAIM = SqlFiles.load("conditions/epoch_check_and_claim");

    private final String epoch;
    private final long interval;

    EpochDelta(String epoch, long interval) {
        this.epoch = Conditions.requireName("epoch", epoch);
        if (interval < 1) {
            throw new IllegalArgumentException("interval = " + interval + " is not allowed: expected 1 or more");
        }
        this.interval = interval;
    }

    @Override
    public Decision evaluate(LaunchContext ctx) throws Exception {
        String schedule = ctx.scheduleName();
        Jdbc.update(ctx.connection(), ENSURE, schedule, epoch);
        try (PreparedStatement ps = Jdbc.prepare(ctx.connection(), CHECK_AND_CLAIM, schedule, epoch, schedule, epoch, interval);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            long current = rs.getLong("epoch");
            long previous = rs.getLong("previously_claimed");
            boolean claimed = rs.getBoolean("claimed_now");
            long delta = current - previous;
            Map<String, Object> figures = Map.of("epoch_name", epoch, "epoch", current, "last_claimed", previous,
                    "delta", delta, "interval", interval);
            if (claimed) {
                return Decision.launch(Map.of("epoch_name", epoch, "epoch", current),
                        "epoch '" + epoch + "' delta (" + delta + ") >= interval (" + interval + "), claimed epoch " + current)
                        .withFigures(figures);
            }
            return Decision.skip("epoch '" + epoch + "' delta (" + delta + ") below interval (" + interval + ")")
                    .withFigures(figures);
        }
    }
}
