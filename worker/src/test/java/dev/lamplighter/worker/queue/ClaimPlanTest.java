package dev.lamplighter.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.testing.TestDatabase;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The claim reads each job type's runnable rows in claim order and stops at its limit, whatever
 * the planner's statistics say. Statistics taken while the jobs table was empty (a queue that goes
 * from nothing to a large backlog) once made the planner sort every due row on each claim.
 */
class ClaimPlanTest {

    private static final String CLAIM = SqlFiles.load("jobs/claim_batch");
    private static final String CLAIM_PLAN = SqlFiles.load("jobs/claim_plan");

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();

    @BeforeEach
    void reset() {
        db.reset();
    }

    /** The claim's plan as a node makes it: {@code jobs/claim_plan} first, in the same transaction. */
    private List<String> plan() {
        return jdbi.inTransaction(h -> {
            h.createQuery(CLAIM_PLAN).mapTo(String.class).one();
            return h.createQuery("EXPLAIN (COSTS OFF) " + CLAIM)
                    .bind("now", (java.time.Instant) null).bind("jobTypes", new String[] {"bench_a", "bench_b"})
                    .bind("limit", 12).bind("nodeId", "n1").bind("leaseMs", 60_000L)
                    .mapTo(String.class).list();
        });
    }

    @Test
    void a_claim_reads_the_backlog_in_order_per_type_even_when_the_statistics_say_the_table_is_empty() {
        jdbi.useHandle(h -> h.execute("VACUUM ANALYZE lamplighter.jobs"));   // statistics of an empty table
        jdbi.useHandle(h -> h.execute("""
                INSERT INTO lamplighter.jobs (job_type, status, run_at)
                SELECT CASE WHEN i % 2 = 0 THEN 'bench_a' ELSE 'bench_b' END, 'queued', now() - interval '1 minute'
                FROM generate_series(1, 20000) AS i"""));

        List<String> plan = plan();

        String text = String.join("\n", plan);
        assertThat(text).as("the per-type read uses the ordered index").contains("Index Scan using jobs_claim_by_type");
        int lockRows = indexOf(plan, "LockRows");
        assertThat(plan.subList(lockRows, plan.size())).as("no sort under the row locks: the backlog is never sorted")
                .noneMatch(line -> line.contains("Sort"));
    }

    private static int indexOf(List<String> plan, String node) {
        for (int i = 0; i < plan.size(); i++) {
            if (plan.get(i).contains(node)) {
                return i;
            }
        }
        throw new AssertionError(node + " not in the plan:\n" + String.join("\n", plan));
    }
}
