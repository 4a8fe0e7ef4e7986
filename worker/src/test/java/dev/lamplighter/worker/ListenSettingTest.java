package dev.lamplighter.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.JobHandler;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.worker.testing.LogCapture;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code LAMPLIGHTER_LISTEN}: on (the default) a node holds a LISTEN connection; off it opens none,
 * polls only, stays healthy, and says once at start what the DataSource needs behind PgBouncer.
 * Through a real PgBouncer: PgBouncerTest.
 */
class ListenSettingTest {

    private static final String LISTENING = "SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'LISTEN %'";

    private final TestDatabase db = TestDatabase.get();

    @BeforeEach
    void reset() {
        db.reset();
    }

    @Test
    void with_listen_off_a_node_opens_no_listen_connection_runs_jobs_by_polling_and_stays_healthy() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        try (LogCapture logs = new LogCapture();
             Lamplighter node = Lamplighter.builder(db.database().dataSource())
                     .config(LamplighterConfig.builder().nodeId("no-listen").listen(false).migrate(false)
                             .workerPollInterval(Duration.ofMillis(100)).build())
                     .handler(JobHandler.of("polled", ctx -> {
                         ran.countDown();
                         return Map.of();
                     }))
                     .start()) {
            assertThat(count(LISTENING)).as("sessions that issued LISTEN").isZero();
            node.client().enqueue(JobRequest.builder("polled").build());
            assertThat(ran.await(30, TimeUnit.SECONDS)).as("the job ran, found by the worker's poll").isTrue();
            assertThat(node.health().problems()).as("no LISTEN connection is not a problem").isEmpty();
            assertThat(node.isHealthy()).isTrue();
            assertThat(count(LISTENING)).isZero();
            assertThat(logs.warnings()).as("one line: this DataSource's connections prepare statements on the server")
                    .singleElement().asString()
                    .contains("LISTEN is off on node no-listen")
                    .contains("prepareThreshold=5")
                    .contains("Add prepareThreshold=0 to the JDBC URL");
        }
    }

    @Test
    void with_listen_off_and_migrate_on_the_node_says_once_that_migrations_need_a_direct_connection() {
        try (LogCapture logs = new LogCapture();
             Lamplighter node = Lamplighter.builder(db.database().dataSource())
                     .config(LamplighterConfig.builder().nodeId("no-listen-migrating").listen(false).build())
                     .start()) {
            assertThat(node.isHealthy()).isTrue();
            assertThat(logs.warnings()).filteredOn(w -> w.contains("schema migrations"))
                    .singleElement().asString()
                    .contains("Migrate over a direct connection to PostgreSQL (lamplighter migrate)")
                    .contains("LAMPLIGHTER_MIGRATE=false");
        }
    }

    @Test
    void with_listen_on_a_node_holds_a_listen_connection_while_it_runs() {
        try (Lamplighter node = Lamplighter.builder(db.database().dataSource())
                .config(LamplighterConfig.builder().nodeId("listening").migrate(false).build())
                .handler(JobHandler.of("heard", ctx -> Map.of()))
                .start()) {
            assertThat(node.config().listen()).isTrue();
            assertThat(count(LISTENING)).as("the node's LISTEN session").isEqualTo(1);
            assertThat(node.isHealthy()).isTrue();
        }
    }

    private long count(String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
