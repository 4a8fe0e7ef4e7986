package dev.lamplighter.cli.demo;

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
                JobHandler.of("category_refresh", ctx -> {
                    // The launcher's SQL condition put the waiting rows in the payload.
                    List<Long> ids = ((List<?>) ctx.payload().getOrDefault("rows", List.of())).stream()
                            .map(r -> ((Number) ((Map<?, ?>) r).get("id")).longValue()).toList();
                    int integrated = jdbi.withHandle(h -> h.createUpdate("""
                            UPDATE lamplighter_demo.vocab_types SET status = 'active'
                            WHERE status = 'llm_generated' AND id = ANY (:ids)""")
                            .bind("ids", ids.toArray(Long[]::new)).execute());
                    return Map.of("integrated", integrated);
                }),
                JobHandler.of("vocab_consolidation", ctx -> Map.of("consolidated", jdbi.withHandle(h -> h.execute(
                        "UPDATE lamplighter_demo.vocab_types SET status = 'consolidated' WHERE status = 'inactive'")))),
                // The counter it consumes moves forward when this job completes, not before.
                JobHandler.of("epistemic_remeasurement", ctx -> Map.of("measured", jdbi.withHandle(h -> h.execute("""
                        UPDATE lamplighter_demo.vocab_types
                        SET grounding = (ARRAY['WELL_GROUNDED', 'MIXED_GROUNDING', 'WEAKLY_GROUNDED'])[1 + (id % 3)],
                            measured_at = now()
                        WHERE status = 'active'""")))),
                JobHandler.of("ontology_annealing", ctx -> jdbi.inTransaction(h -> {
                    int proposals = h.createUpdate("""
                            INSERT INTO lamplighter_demo.annealing_proposals (job_id, kind, subject)
                            SELECT :job, CASE WHEN id % 2 = 0 THEN 'promote' ELSE 'demote' END, name
                            FROM lamplighter_demo.vocab_types WHERE status = 'active'
                            ORDER BY random() LIMIT 2""").bind("job", ctx.jobId()).execute();
                    return Map.<String, Object>of("proposals", proposals, "epoch", ctx.payload().get("epoch"));
                })));
    }
}
