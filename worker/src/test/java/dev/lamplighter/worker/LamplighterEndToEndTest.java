package dev.lamplighter.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.Decision;
import dev.lamplighter.JobContext;
import dev.lamplighter.JobHandler;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import dev.lamplighter.Schedule;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A whole node on the database clock: a trigger by SQL wakes the poll loop through NOTIFY, the
 * launch wakes a worker through NOTIFY, the handler runs. Waits on the handler's signal only.
 */
class LamplighterEndToEndTest {

    private final TestDatabase db = TestDatabase.get();

    @BeforeEach
    void reset() {
        db.reset();
    }

    static final class CountingLauncher implements Launcher {
        final AtomicInteger checks = new AtomicInteger();

        @Override
        public Decision checkConditions(LaunchContext ctx) {
            int n = checks.incrementAndGet();
            return n % 2 == 1 ? Decision.launch(Map.of("check", n), "odd check " + n) : Decision.skip("even check " + n);
        }
    }

    @Test
    void a_trigger_by_sql_reaches_the_handler_through_notify() throws Exception {
        BlockingQueue<Long> ran = new ArrayBlockingQueue<>(10);
        JobHandler handler = new JobHandler() {
            @Override
            public String jobType() {
                return "refresh";
            }

            @Override
            public Map<String, Object> run(JobContext ctx) {
                ran.add(ctx.jobId());
                return Map.of("check", ctx.payload().get("check"));
            }
        };
        CountingLauncher launcher = new CountingLauncher();
        LamplighterConfig config = LamplighterConfig.builder()
                .pollInterval(Duration.ofHours(1)).workerPollInterval(Duration.ofMinutes(5))
                .nodeId("e2e-node").build();
        try (Lamplighter node = Lamplighter.builder(db.database().dataSource()).config(config)
                .handler(handler)
                .schedule(Schedule.builder("refresh").cron("0 0 1 1 *").launcher(launcher).jobType("refresh").build())
                .start()) {
            boolean registered = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT launcher_registered FROM lamplighter.schedule_status WHERE name = 'refresh'")
                    .mapTo(Boolean.class).one());
            assertThat(registered).isTrue();

            db.jdbi().useHandle(h -> h.execute("UPDATE lamplighter.scheduled_jobs SET next_run = now() WHERE name = 'refresh'"));
            Long jobId = ran.poll(30, TimeUnit.SECONDS);
            assertThat(jobId).as("the handler ran, woken by NOTIFY with hour-long poll intervals").isNotNull();

            assertThat(node.client().trigger("refresh")).isTrue();
            assertThat(node.client().trigger("no_such_schedule")).isFalse();
        }
        String outcomes = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT string_agg(outcome, ',' ORDER BY decision_id) FROM lamplighter.decision_log").mapTo(String.class).one());
        assertThat(outcomes).startsWith("launched");
        Map<String, Object> job = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT status, CAST(result AS text) AS result FROM lamplighter.jobs ORDER BY job_id LIMIT 1").mapToMap().one());
        assertThat(job).containsEntry("status", "completed").containsEntry("result", "{\"check\": 1}");
        int nodes = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM lamplighter.nodes").mapTo(Integer.class).one());
        assertThat(nodes).as("the node left the nodes table").isZero();
    }
}
