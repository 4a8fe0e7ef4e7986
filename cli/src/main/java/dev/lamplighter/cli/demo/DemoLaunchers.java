package dev.lamplighter.cli.demo;

import static dev.lamplighter.conditions.Conditions.changeCounter;
import static dev.lamplighter.conditions.Conditions.epochDelta;
import static dev.lamplighter.conditions.Conditions.hysteresis;
import static dev.lamplighter.conditions.Conditions.launcher;
import static dev.lamplighter.conditions.Conditions.sql;

import dev.lamplighter.Launcher;
import java.util.List;

/**
 * The launchers of the seed's four scheduled jobs, each a built-in condition over the demo's
 * tables: the reference example of the launcher pattern.
 */
final class DemoLaunchers {

    /** inactive types as a share of active ones. */
    static final String INACTIVE_RATIO = """
            SELECT CAST(count(*) FILTER (WHERE status = 'inactive') AS double precision)
                   / greatest(count(*) FILTER (WHERE status = 'active'), 1)
            FROM lamplighter_demo.vocab_types""";

    private DemoLaunchers() {
    }

    static List<Launcher> all() {
        return List.of(
                // Work exists when LLM-generated categories wait; their rows go in the payload.
                launcher("CategoryRefreshLauncher",
                        sql("SELECT id, name FROM lamplighter_demo.vocab_types WHERE status = 'llm_generated' ORDER BY id")),
                // Consolidate above 20 % inactive, stay quiet below 10 %, keep the state between.
                launcher("VocabConsolidationLauncher", hysteresis("inactive_ratio", INACTIVE_RATIO, 0.20, 0.10)),
                // Re-measure when 10 vocabulary changes accumulated since the last successful measurement.
                launcher("EpistemicRemeasurementLauncher", changeCounter("vocabulary_changes", 10)),
                // Anneal when 5 ingestions happened since the last claimed epoch, whatever triggered the check.
                launcher("AnnealingLauncher", epochDelta("ingestion", 5)));
    }
}
