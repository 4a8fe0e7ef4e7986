package dev.lamplighter.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.JobHandler;
import dev.lamplighter.Schedule;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on the production path (no injected clock) write every time they store from the
 * database's clock: node rows, a schedule's first {@code next_run}, a job's {@code run_at}, claim
 * and lease, a singleton's lease. Each stored time lies between two readings of the server's
 * {@code now()} taken before and after, and each lease is exactly its length after the moment it
 * was taken (one {@code now()} in one statement). With {@link OneClockGuardTest} (no production
 * code reads the JVM's wall clock), two nodes whose JVM clocks differ behave as two with the same.
 */
class OneClockProductionPathTest {

    private static final long HARD_TIMEOUT_S = 30;

    private final TestDatabase db = TestDatabase.get();

    @BeforeEach
    void reset() {
        db.reset();
    }

    private final CountDownLatch singletonStarted = new CountDownLatch(1);

    private Lamplighter node(String id, CountDownLatch started, CountDownLatch release) {
        return Lamplighter.builder(db.database().dataSource())
                .config(LamplighterConfig.builder().jobLease(Duration.ofMinutes(1)).build())
                .nodeId(id).workerThreads(1).migrate(false).schedulerEnabled(false)
                .handler(JobHandler.of("hold", ctx -> {
                    started.countDown();
                    release.await(HARD_TIMEOUT_S, TimeUnit.SECONDS);
                    return Map.of();
                }))
                .schedule(Schedule.builder("hourly").every(Duration.ofHours(1)).initialDelay(Duration.ofHours(1))
                        .launcher("hourly_launcher").jobType("hold").build())
                .singleton("feed", ctx -> {
                    singletonStarted.countDown();
                    ctx.sleep(Duration.ofHours(1));
                })
                .build();
    }

    @Test
    void two_nodes_without_an_injected_clock_store_only_the_database_s_time() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Object before = db.jdbi().withHandle(h -> h.createQuery("SELECT now()").mapTo(java.time.OffsetDateTime.class).one());
        try (Lamplighter a = node("clock-a", started, release).start();
             Lamplighter b = node("clock-b", started, release).start()) {
            long id = a.client().enqueue(JobRequest.builder("hold").build());
            assertThat(started.await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
            assertThat(singletonStarted.await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).isTrue();

            Map<String, Object> checks = db.jdbi().withHandle(h -> h.createQuery("""
                    SELECT (SELECT bool_and(n.started_at BETWEEN t.t0 AND now() AND n.last_seen_at BETWEEN t.t0 AND now())
                            FROM lamplighter.nodes n) AS nodes_from_db,
                           (SELECT count(*) FROM lamplighter.nodes) AS nodes,
                           (SELECT j.run_at BETWEEN t.t0 AND now() AND j.started_at BETWEEN t.t0 AND now()
                                   AND j.locked_until = j.started_at + interval '1 minute'
                            FROM lamplighter.jobs j WHERE j.job_id = :id) AS job_from_db,
                           (SELECT s.next_run BETWEEN t.t0 + interval '1 hour' AND now() + interval '1 hour'
                            FROM lamplighter.scheduled_jobs s WHERE s.name = 'hourly') AS schedule_from_db,
                           (SELECT g.acquired_at BETWEEN t.t0 AND now()
                                   AND g.lease_until = g.renewed_at + interval '30 seconds'
                            FROM lamplighter.singletons g WHERE g.name = 'feed') AS singleton_from_db
                    FROM (SELECT CAST(:t0 AS timestamptz) AS t0) t""")
                    .bind("t0", before).bind("id", id).mapToMap().one());

            assertThat(checks).containsEntry("nodes", 2L).containsEntry("nodes_from_db", true)
                    .containsEntry("job_from_db", true).containsEntry("schedule_from_db", true)
                    .containsEntry("singleton_from_db", true);
            release.countDown();
        }
    }
}
