package dev.lamplighter.worker.demo;

import dev.lamplighter.JobContext;
import dev.lamplighter.JobHandler;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** The work of the seed's four jobs, done for real on the demo's tables. */
final class DemoHandlers {

    private DemoHandlers() {
    }

    static List<JobHandler> all(Jdbi jdbi) {
        return List.of(
                handler("category_refresh", ctx -> Map.of("integrated", jdbi.withHandle(h -> h.execute(
                        "UPDATE lamplighter_demo.vocab_types SET status = 'active' WHERE status = 'llm_generated'")))),
                handler("vocab_consolidation", ctx -> Map.of("consolidated", jdbi.withHandle(h -> h.execute(
                        "UPDATE lamplighter_demo.vocab_types SET status = 'consolidated' WHERE status = 'inactive'")))),
                handler("epistemic_remeasurement", ctx -> jdbi.inTransaction(h -> {
                    int measured = h.execute("""
                            UPDATE lamplighter_demo.vocab_types
                            SET grounding = (ARRAY['WELL_GROUNDED', 'MIXED_GROUNDING', 'WEAKLY_GROUNDED'])[1 + (id % 3)],
                                measured_at = now()
                            WHERE status = 'active'""");
                    long upTo = ((Number) ctx.payload().get("consume_up_to")).longValue();
                    // Only what this job saw is consumed; changes made while it ran stay pending.
                    h.createUpdate("UPDATE lamplighter_demo.counters SET consumed = greatest(consumed, :upTo) "
                            + "WHERE name = 'vocabulary_changes'").bind("upTo", upTo).execute();
                    return Map.<String, Object>of("measured", measured, "consumed_up_to", upTo);
                })),
                handler("ontology_annealing", ctx -> jdbi.inTransaction(h -> {
                    int proposals = h.createUpdate("""
                            INSERT INTO lamplighter_demo.annealing_proposals (job_id, kind, subject)
                            SELECT :job, CASE WHEN id % 2 = 0 THEN 'promote' ELSE 'demote' END, name
                            FROM lamplighter_demo.vocab_types WHERE status = 'active'
                            ORDER BY random() LIMIT 2""").bind("job", ctx.jobId()).execute();
                    return Map.<String, Object>of("proposals", proposals, "epoch", ctx.payload().get("epoch"));
                })));
    }

    private interface Work {
        Map<String, Object> run(JobContext ctx) throws Exception;
    }

    private static JobHandler handler(String type, Work work) {
        return new JobHandler() {
            @Override
            public String jobType() {
                return type;
            }

            @Override
            public Map<String, Object> run(JobContext ctx) throws Exception {
                return work.run(ctx);
            }
        };
    }
}
