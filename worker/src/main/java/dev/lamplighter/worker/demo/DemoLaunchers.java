package dev.lamplighter.worker.demo;

import dev.lamplighter.Decision;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import dev.lamplighter.Params;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The launchers of the seed's four scheduled jobs, over the demo's tables. Each is a cheap SQL
 * check that answers launch or skip with the figures it looked at.
 */
final class DemoLaunchers {

    private DemoLaunchers() {
    }

    static List<Launcher> all() {
        return List.of(new CategoryRefreshLauncher(), new VocabConsolidationLauncher(),
                new EpistemicRemeasurementLauncher(), new AnnealingLauncher());
    }

    /** Launches when LLM-generated vocabulary types are waiting to be integrated. */
    static final class CategoryRefreshLauncher implements Launcher {
        @Override
        public Decision checkConditions(LaunchContext ctx) throws SQLException {
            long pending = single(ctx, "SELECT count(*) FROM lamplighter_demo.vocab_types WHERE status = 'llm_generated'");
            if (pending == 0) {
                return Decision.skip("no llm_generated categories to integrate").withFigure("llm_generated", 0);
            }
            return Decision.launch(Map.of("llm_generated", pending), pending + " llm_generated categories to integrate")
                    .withFigure("llm_generated", pending);
        }
    }

    /** Launches when inactive types exceed a share of active ones (the seed's 20 %). */
    static final class VocabConsolidationLauncher implements Launcher {
        @Override
        public void validateParams(Params params) {
            params.doubleValue("high_watermark", 0.20, 0.0, 10.0);
        }

        @Override
        public Decision checkConditions(LaunchContext ctx) throws SQLException {
            double high = ctx.params().doubleValue("high_watermark", 0.20, 0.0, 10.0);
            long inactive = single(ctx, "SELECT count(*) FROM lamplighter_demo.vocab_types WHERE status = 'inactive'");
            long active = single(ctx, "SELECT count(*) FROM lamplighter_demo.vocab_types WHERE status = 'active'");
            double ratio = active == 0 ? 0 : (double) inactive / active;
            Map<String, Object> figures = Map.of("inactive", inactive, "active", active,
                    "ratio", Math.round(ratio * 1000) / 1000.0, "high_watermark", high);
            String shown = String.format(java.util.Locale.ROOT, "%.1f%%", ratio * 100);
            if (ratio > high) {
                return Decision.launch(Map.of("inactive", inactive), "inactive types are " + shown + " of active, above "
                        + Math.round(high * 100) + "%").withFigures(figures);
            }
            return Decision.skip("inactive types are " + shown + " of active, not above " + Math.round(high * 100) + "%")
                    .withFigures(figures);
        }
    }

    /** Launches when the vocabulary change counter moved by the threshold since the last measurement. */
    static final class EpistemicRemeasurementLauncher implements Launcher {
        @Override
        public void validateParams(Params params) {
            params.longValue("threshold", 10, 1, 1_000_000);
        }

        @Override
        public Decision checkConditions(LaunchContext ctx) throws SQLException {
            long threshold = ctx.params().longValue("threshold", 10, 1, 1_000_000);
            long value;
            long consumed;
            try (PreparedStatement ps = ctx.connection().prepareStatement(
                    "SELECT value, consumed FROM lamplighter_demo.counters WHERE name = 'vocabulary_changes'");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                value = rs.getLong(1);
                consumed = rs.getLong(2);
            }
            long delta = value - consumed;
            Map<String, Object> figures = Map.of("value", value, "consumed", consumed, "delta", delta, "threshold", threshold);
            if (delta >= threshold) {
                return Decision.launch(Map.of("consume_up_to", value),
                        "Vocabulary change delta (" + delta + ") >= threshold (" + threshold + ")").withFigures(figures);
            }
            return Decision.skip("Delta (" + delta + ") below threshold (" + threshold + ")").withFigures(figures);
        }
    }

    /**
     * Launches when the ingestion epoch advanced by the interval since the last claimed one. Check
     * and claim are one statement, so cron and post-ingestion triggers launch once per claim.
     */
    static final class AnnealingLauncher implements Launcher {
        @Override
        public void validateParams(Params params) {
            params.longValue("epoch_interval", 5, 1, 1_000_000);
        }

        @Override
        public Decision checkConditions(LaunchContext ctx) throws SQLException {
            long interval = ctx.params().longValue("epoch_interval", 5, 1, 1_000_000);
            try (PreparedStatement ps = ctx.connection().prepareStatement("""
                    WITH before AS (SELECT value, claimed FROM lamplighter_demo.epochs WHERE name = 'ingestion' FOR UPDATE)
                    UPDATE lamplighter_demo.epochs e SET claimed = CASE WHEN b.value - b.claimed >= ? THEN b.value ELSE e.claimed END
                    FROM before b WHERE e.name = 'ingestion'
                    RETURNING b.value, b.claimed""")) {
                ps.setLong(1, interval);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long epoch = rs.getLong(1);
                    long claimed = rs.getLong(2);
                    long delta = epoch - claimed;
                    Map<String, Object> figures = Map.of("epoch", epoch, "last_claimed", claimed, "delta", delta,
                            "interval", interval);
                    if (delta >= interval) {
                        return Decision.launch(Map.of("epoch", epoch), "epoch delta (" + delta + ") >= interval ("
                                + interval + "), claimed epoch " + epoch).withFigures(figures);
                    }
                    return Decision.skip("epoch delta (" + delta + ") below interval (" + interval + ")").withFigures(figures);
                }
            }
        }
    }

    static long single(LaunchContext ctx, String sql) throws SQLException {
        try (PreparedStatement ps = ctx.connection().prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
