package dev.lamplighter.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node's batched writes (completions, failures, the release at stop) look up each job of the
 * batch by its id, whatever the planner's statistics say. With statistics taken while no job was
 * running (an idle queue, then a burst), the completion of a batch of 200 once scanned every
 * running row of the node for each id of the batch: 30-55 ms per batch instead of about 1.
 */
class BatchWritePlanTest {

    private static final int BATCH = 200;

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();

    @BeforeEach
    void statisticsOfAnIdleQueueThenABurstRunning() {
        db.reset();
        jdbi.useHandle(h -> {
            h.execute("""
                    INSERT INTO lamplighter.jobs (job_type, status, run_at)
                    SELECT 'noop', 'queued', now() - interval '1 minute' FROM generate_series(1, 20000)""");
            h.execute("ANALYZE lamplighter.jobs");   // nothing running when the statistics were taken
            h.execute("""
                    UPDATE lamplighter.jobs
                    SET status = 'running', attempts = 1, locked_by = 'n1', locked_until = now() + interval '1 minute',
                        started_at = now()
                    WHERE job_id IN (SELECT job_id FROM lamplighter.jobs ORDER BY job_id LIMIT 1200)""");
        });
    }

    @Test
    void a_completion_batch_finds_its_jobs_by_id_not_by_scanning_the_running_rows() {
        assertLooksUpEachJobById(plan("jobs/complete_batch", h -> h
                .createQuery("EXPLAIN (COSTS OFF) " + SqlFiles.load("jobs/complete_batch"))
                .bind("now", (Instant) null).bind("jobIds", ids()).bind("attempts", ones())
                .bind("results", new String[BATCH]).bind("nodeId", "n1")));
    }

    @Test
    void a_failure_batch_finds_its_jobs_by_id_not_by_scanning_the_running_rows() {
        assertLooksUpEachJobById(plan("jobs/fail_batch", h -> h
                .createQuery("EXPLAIN (COSTS OFF) " + SqlFiles.load("jobs/fail_batch"))
                .bind("now", (Instant) null).bind("jobIds", ids()).bind("attempts", ones())
                .bind("errors", new String[BATCH]).bind("retryMs", new Long[BATCH]).bind("nodeId", "n1")));
    }

    @Test
    void the_release_at_stop_finds_its_jobs_by_id_not_by_scanning_the_running_rows() {
        assertLooksUpEachJobById(plan("jobs/release_batch", h -> h
                .createQuery("EXPLAIN (COSTS OFF) " + SqlFiles.load("jobs/release_batch"))
                .bind("jobIds", ids()).bind("attempts", ones()).bind("nodeId", "n1")));
    }

    private List<String> plan(String statement, java.util.function.Function<Handle, org.jdbi.v3.core.statement.Query> query) {
        List<String> plan = jdbi.withHandle(h -> query.apply(h).mapTo(String.class).list());
        System.out.printf("%s:%n%s%n", statement, String.join("\n", plan));
        return plan;
    }

    private static void assertLooksUpEachJobById(List<String> plan) {
        String text = String.join("\n", plan);
        assertThat(text).as(text).contains("Index Scan using jobs_pkey on jobs j")
                .doesNotContain("jobs_running_lease").doesNotContain("Join Filter").doesNotContain("Seq Scan on jobs");
    }

    private static Long[] ids() {
        return LongStream.rangeClosed(1, BATCH).boxed().toArray(Long[]::new);
    }

    private static Integer[] ones() {
        Integer[] ones = new Integer[BATCH];
        java.util.Arrays.fill(ones, 1);
        return ones;
    }
}
