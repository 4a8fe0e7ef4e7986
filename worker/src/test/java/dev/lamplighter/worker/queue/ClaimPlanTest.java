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
        return plan(12);
    }

    private List<String> plan(int limit) {
        return jdbi.inTransaction(h -> {
            h.createQuery(CLAIM_PLAN).mapTo(String.class).one();
            return h.createQuery("EXPLAIN (COSTS OFF) " + CLAIM)
                    .bind("now", (java.time.Instant) null).bind("jobTypes", new String[] {"bench_a", "bench_b"})
                    .bind("limit", limit).bind("nodeId", "n1").bind("leaseMs", 60_000L)
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

    /**
     * The same statistics and a claim of 1,000: the claimed rows are updated through the primary
     * key. With the statistics of an empty table the planner once read the whole table into a hash
     * for the update's join, and at times scanned it once per claimed row: a claim of 1,000 over a
     * backlog of 20,000 took a second instead of a few milliseconds, and a draining node sat idle
     * for most of each second (QueueBenchmark, docs/figures.md "A claim that read the whole table").
     */
    @Test
    void a_large_claim_updates_its_rows_through_the_primary_key() {
        String burst = """
                INSERT INTO lamplighter.jobs (job_type, status, run_at)
                SELECT 'bench_a', 'queued', now() - interval '1 minute' FROM generate_series(1, 20000) AS i""";
        jdbi.useHandle(h -> h.execute(burst));
        jdbi.useHandle(h -> h.execute("ANALYZE lamplighter.jobs"));   // statistics of the burst itself

        List<String> plan = plan(1000);

        String text = String.join("\n", plan);
        List<String> update = plan.subList(indexOf(plan, "Update on jobs j"), plan.size());
        assertThat(update).as(text).noneMatch(line -> line.contains("Seq Scan") || line.contains("Hash")
                || line.contains("Merge Join"));
        assertThat(text).as(text).contains("Index Scan using jobs_pkey on jobs j");
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
