package dev.lamplighter.conditions;

import dev.lamplighter.Decision;
import dev.lamplighter.LaunchContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** See {@link Conditions#all} and {@link Conditions#any}. */
final class Composite implements Condition {

    private final boolean all;
    private final List<Condition> parts;

    Composite(boolean all, List<Condition> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("conditions are empty: expected at least one");
        }
        this.all = all;
        this.parts = List.copyOf(parts);
    }

    @Override
    public Decision evaluate(LaunchContext ctx) throws Exception {
        return all ? allOf(ctx) : anyOf(ctx);
    }

    /** Every part must launch; the first skip wins and undoes what earlier parts wrote. */
    private Decision allOf(LaunchContext ctx) throws Exception {
        return Jdbc.inSavepoint(ctx.connection(), () -> {
            List<String> reasons = new ArrayList<>();
            Map<String, Object> figures = new LinkedHashMap<>();
            Decision merged = null;
            for (Condition part : parts) {
                Decision d = part.evaluate(ctx);
                figures.putAll(d.figures());
                if (!d.isLaunch()) {
                    return d.withFigures(figures);
                }
                reasons.add(d.reason());
                merged = merged == null ? d : merge(merged, d);
            }
            return merged.withReason(String.join(" and ", reasons)).withFigures(figures);
        }, Decision::isLaunch);
    }

    /** The first part that launches wins; parts that skipped leave nothing behind. */
    private Decision anyOf(LaunchContext ctx) throws Exception {
        List<String> reasons = new ArrayList<>();
        Map<String, Object> figures = new LinkedHashMap<>();
        for (Condition part : parts) {
            Decision d = Jdbc.inSavepoint(ctx.connection(), () -> part.evaluate(ctx), Decision::isLaunch);
            figures.putAll(d.figures());
            if (d.isLaunch()) {
                return d.withFigures(figures);
            }
            reasons.add(d.reason());
        }
        return Decision.skip(String.join("; ", reasons)).withFigures(figures);
    }

    private static Decision merge(Decision a, Decision b) {
        Decision m = a.withPayload(b.payload());
        for (Map.Entry<String, Long> e : b.consumes().entrySet()) {
            m = m.consuming(e.getKey(), e.getValue());
        }
        return m;
    }
}
