package dev.lamplighter.worker.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A jobs table with a million finished rows (what retention keeps) does not slow the claim: the
 * claim, the worker's next-due probe and the one-instance check read partial indexes that hold
 * only waiting or running rows, and the cleaner reads its own index of finished rows. Every
 * statement binds null for now (the database's clock), so this class needs no test clock.
 */
class LongHistoryPlanTest {

    private static final String CLAIM = SqlFiles.load("jobs/claim_batch");
    private static final String CLAIM_PLAN = SqlFiles.load("jobs/claim_plan");
    private static final String NEXT_DUE_IN = SqlFiles.load("jobs/next_due_in");
    private static final String FIND_ACTIVE = SqlFiles.load("scheduled_jobs/find_active_jobs");
    private static final String DELETE_JOBS = SqlFiles.load("retention/delete_jobs");
    private static final String RESCUE = SqlFiles.load("jobs/rescue_expired");
    private static final String CLI_HISTORY = SqlFiles.load("cli/history");
    private static final String CLI_HISTORY_OF_SCHEDULE = SqlFiles.load("cli/history_of_schedule");
    private static final String COOKBOOK_HISTORY = SqlFiles.load("cookbook/history");
    private static final int FINISHED = 1_000_000;

    private static final TestDatabase db = TestDatabase.get();
    private static final Jdbi jdbi = db.jdbi();

    @BeforeAll
    static void aMillionFinishedJobsAndAFewQueuedOnes() {
        db.reset();
        long started = System.nanoTime();
        jdbi.useHandle(h -> {
            // One statement: finished jobs of the claimed types, due long ago, every fifth one failed.
            h.execute("""
                    INSERT INTO lamplighter.jobs (job_type, status, schedule_name, run_at, created_at, started_at,
                                                  completed_at, attempts)
                    SELECT CASE WHEN i % 2 = 0 THEN 'bench_a' ELSE 'bench_b' END,
                           CASE WHEN i % 5 = 0 THEN 'failed' ELSE 'completed' END,
                           'nightly', t, t, t, t + interval '1 second', 1
                    FROM generate_series(1, 1000000) AS i,
                         LATERAL (SELECT now() - interval '40 days' + i * interval '1 second') AS s(t)""");
            h.execute("""
                    INSERT INTO lamplighter.jobs (job_type, status, priority, run_at)
                    VALUES ('bench_a', 'queued', 0, now() - interval '1 minute'),
                           ('bench_b', 'queued', 5, now() - interval '2 minutes'),
                           ('bench_b', 'queued', 9, now() + interval '1 hour'),
                           ('bench_a', 'queued', 1, now() - interval '3 minutes')""");
            h.execute("ANALYZE lamplighter.jobs");
        });
        System.out.printf("LongHistoryPlanTest: %,d finished jobs inserted and analysed in %d ms%n", FINISHED,
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Empties the table and forgets its statistics: {@code ANALYZE} of an empty table keeps the
     * column statistics it had, and those of a million finished rows would mislead the plans of
     * the tests that run after this class (as they would mislead a real queue; see docs/design.md).
     */
    @AfterAll
    static void emptyAndForgetTheStatistics() {
        db.reset();
        jdbi.useHandle(h -> {
            int version = h.createQuery("SELECT CAST(current_setting('server_version_num') AS int)").mapTo(Integer.class).one();
            if (version >= 180_000) {
                h.execute("SELECT pg_clear_relation_stats('lamplighter', 'jobs')");
                h.execute("""
                        SELECT pg_clear_attribute_stats('lamplighter', 'jobs', CAST(attname AS text), false)
                        FROM pg_attribute
                        WHERE attrelid = CAST('lamplighter.jobs' AS regclass) AND attnum > 0 AND NOT attisdropped""");
            } else {
                h.execute("DELETE FROM pg_statistic WHERE starelid = CAST('lamplighter.jobs' AS regclass)");
            }
        });
    }

    private static List<String> explain(Handle h, String sql, Map<String, Object> binds) {
        var q = h.createQuery("EXPLAIN (COSTS OFF) " + sql);
        binds.forEach(q::bind);
        return q.mapTo(String.class).list();
    }

    /** The claim's plan as a node makes it: {@code jobs/claim_plan} first, in the same transaction. */
    private static List<String> explainClaim(Handle h) {
        h.createQuery(CLAIM_PLAN).mapTo(String.class).one();
        return explain(h, CLAIM.replace(":now", "NULL"), claimBinds());
    }

    private static Map<String, Object> claimBinds() {
        return Map.of("jobTypes", new String[] {"bench_a", "bench_b"}, "limit", 12, "nodeId", "n1", "leaseMs", 60_000L);
    }

    /** Partial indexes that hold only waiting or running rows: reading one never touches the history. */
    private static final List<String> ACTIVE_ROW_INDEXES = List.of("jobs_claim_by_type",
            "jobs_queued_type_run_at", "jobs_schedule_active");

    @Test
    void the_claim_reads_queued_rows_from_an_index_of_active_rows_and_never_scans_or_sorts_the_finished_ones() {
        List<String> plan = jdbi.inTransaction(h -> explainClaim(h));

        assertReadsEachTypeInClaimOrder(plan);
    }

    /**
     * Statistics that say few jobs are queued (taken over the history, before a burst), then 40,000
     * due jobs: the claim still reads each type in claim order and stops at its limit, where a plan
     * left to those statistics read every due row of the type and sorted it, on every claim.
     */
    @Test
    void a_burst_of_due_jobs_after_the_statistics_were_taken_does_not_make_the_claim_sort_the_burst() {
        List<String> plan = jdbi.inTransaction(h -> {
            h.execute("""
                    INSERT INTO lamplighter.jobs (job_type, status, priority, run_at)
                    SELECT CASE WHEN i % 2 = 0 THEN 'bench_a' ELSE 'bench_b' END, 'queued', 0,
                           now() - interval '1 hour' + i * interval '1 millisecond'
                    FROM generate_series(1, 40000) AS i""");
            List<String> explained = explainClaim(h);
            h.rollback();   // no burst for the other tests of this class
            return explained;
        });

        assertReadsEachTypeInClaimOrder(plan);
    }

    /** Under the row locks, each read of jobs is an index scan of active rows, with no sort and no bitmap. */
    private static void assertReadsEachTypeInClaimOrder(List<String> plan) {
        String text = String.join("\n", plan);
        assertThat(plan).as(text).noneMatch(line -> line.contains("Seq Scan on jobs"));
        List<String> underLocks = plan.subList(indexOf(plan, "LockRows"), plan.size());
        assertThat(underLocks).as(text).noneMatch(line -> line.contains("Sort") || line.contains("Bitmap"));
        List<String> reads = underLocks.stream().filter(line -> line.contains(" on jobs q")).toList();
        assertThat(reads).as("what the per-type read scans:\n%s", text).isNotEmpty()
                .allMatch(line -> line.contains("Index Scan using ")
                        && ACTIVE_ROW_INDEXES.stream().anyMatch(index -> line.contains("using " + index + " ")));
    }

    @Test
    void the_claim_still_takes_the_right_jobs_highest_priority_first_and_nothing_finished_or_not_yet_due() {
        List<Map<String, Object>> claimed = jdbi.inTransaction(h -> {
            var q = h.createQuery(CLAIM.replace(":now", "NULL"));
            claimBinds().forEach(q::bind);
            List<Map<String, Object>> rows = q.mapToMap().list();
            h.rollback();   // leave the queue as it was for the other tests of this class
            return rows;
        });

        assertThat(claimed).extracting(r -> r.get("job_id")).containsExactly(1_000_002L, 1_000_004L, 1_000_001L);
        assertThat(claimed).extracting(r -> r.get("attempts")).containsOnly(1);
    }

    @Test
    void the_workers_next_due_probe_and_the_one_instance_check_never_scan_the_finished_rows() {
        List<String> nextDue = jdbi.withHandle(h -> explain(h, NEXT_DUE_IN.replace(":now", "NULL"),
                Map.of("jobTypes", new String[] {"bench_a", "bench_b"})));
        List<String> active = jdbi.withHandle(h -> explain(h, FIND_ACTIVE, Map.of("names", new String[] {"nightly", "other"})));

        assertReadsOnlyActiveRows(nextDue);
        assertReadsOnlyActiveRows(active);
    }

    /** No sequential or bitmap scan, and every scan of jobs is an index scan of an index of active rows. */
    private static void assertReadsOnlyActiveRows(List<String> plan) {
        String text = String.join("\n", plan);
        assertThat(text).as(text).doesNotContain("Seq Scan").doesNotContain("Bitmap");
        assertThat(plan.stream().filter(line -> line.contains(" on jobs"))).as(text).isNotEmpty()
                .allMatch(line -> ACTIVE_ROW_INDEXES.stream().anyMatch(index -> line.contains("using " + index + " ")));
    }

    @Test
    void a_retention_batch_reads_the_oldest_finished_rows_of_one_status_from_their_index() {
        String plan = jdbi.withHandle(h -> String.join("\n", explain(h, DELETE_JOBS.replace(":now", "NULL"),
                Map.of("status", "completed", "retainMs", 7L * 24 * 3_600_000, "batch", 1000))));

        assertThat(plan).as(plan).contains("Index Scan using jobs_finished").doesNotContain("Seq Scan")
                .doesNotContain("Sort");
    }

    /**
     * The history reads (the CLI's, and the cookbook's query of jobs launched by schedules) stop
     * after their limit in an index in newest-first order: no index of every row is written for
     * them on each job's transitions (V16), and none of them sorts the million rows. (For a schedule
     * with most of the rows, as "nightly" here, reading the primary key backwards is as good.)
     */
    @Test
    void the_history_reads_stop_at_their_limit_in_an_index_in_newest_first_order() {
        String all = jdbi.withHandle(h -> String.join("\n", explain(h, CLI_HISTORY, Map.of("limit", 20))));
        String ofSchedule = jdbi.withHandle(h -> String.join("\n", explain(h, CLI_HISTORY_OF_SCHEDULE,
                Map.of("schedule", "weekly", "limit", 20))));   // a schedule with few jobs among a million
        String cookbook = jdbi.withHandle(h -> String.join("\n", explain(h,
                COOKBOOK_HISTORY.replace(":limit", "10").replace(";", ""), Map.of())));

        assertThat(all).as(all).contains("Index Scan Backward using jobs_pkey on jobs");
        assertThat(ofSchedule).as(ofSchedule).contains("Index Scan using jobs_schedule_history on jobs");
        assertThat(cookbook).as(cookbook).contains("Index Scan using jobs_scheduled_created_at on jobs");
        for (String plan : List.of(all, ofSchedule, cookbook)) {
            assertThat(plan).as(plan).doesNotContain("Seq Scan").doesNotContain("Sort").doesNotContain("Bitmap");
        }
    }

    /**
     * The rescuer's pass (lease expired, or node gone or silent) reads the running rows through
     * their partial index, with a few running jobs beside the million finished ones.
     */
    @Test
    void the_rescue_by_lease_or_by_node_reads_only_the_running_rows() {
        String plan = jdbi.inTransaction(h -> {
            h.execute("""
                    INSERT INTO lamplighter.jobs (job_type, status, attempts, locked_by, locked_until, started_at)
                    VALUES ('bench_a', 'running', 1, 'gone', now() + interval '100 years', now()),
                           ('bench_b', 'running', 1, 'gone', now() - interval '1 minute', now())""");
            h.createQuery(CLAIM_PLAN).mapTo(String.class).one();   // as JobStore.rescueExpired runs it
            String explained = String.join("\n", explain(h, RESCUE.replace(":now", "NULL"),
                    Map.of("liveMs", 300_000L, "limit", 500)));
            h.rollback();
            return explained;
        });

        assertThat(plan).as(plan).contains("Index Scan using jobs_running_lease on jobs q")
                .doesNotContain("Seq Scan on jobs").doesNotContain("Bitmap Heap Scan on jobs").doesNotContain("Sort");
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
