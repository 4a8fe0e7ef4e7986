package dev.lamplighter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.testing.LogCapture;
import dev.lamplighter.worker.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The gauges over the database directly: the cache, and a database that cannot be read. */
class LamplighterMetricsTest {

    private final TestDatabase db = TestDatabase.get();

    @BeforeEach
    void reset() {
        db.reset();
    }

    private static double depth(MeterRegistry registry, String type) {
        return registry.get(LamplighterMetrics.QUEUE_DEPTH).tag("job_type", type).gauge().value();
    }

    @Test
    void one_query_answers_every_gauge_until_the_cache_time_has_passed() {
        MeterRegistry registry = new SimpleMeterRegistry();
        new LamplighterMetrics(db.database().dataSource(), List.of("report"), Duration.ofHours(1)).bindTo(registry);
        assertThat(depth(registry, "report")).isZero();

        db.jdbi().useHandle(h -> h.execute("INSERT INTO lamplighter.jobs (job_type, status) VALUES ('report', 'queued')"));

        assertThat(depth(registry, "report")).as("the cached figures, not a second query").isZero();

        MeterRegistry fresh = new SimpleMeterRegistry();
        new LamplighterMetrics(db.database().dataSource(), List.of("report"), Duration.ZERO).bindTo(fresh);
        assertThat(depth(fresh, "report")).isEqualTo(1.0);
    }

    @Test
    void a_database_that_cannot_be_read_makes_the_gauges_nan_with_one_warning_not_one_per_scrape() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PGSimpleDataSource unreachable = new PGSimpleDataSource();
        unreachable.setServerNames(new String[] {"localhost"});
        unreachable.setPortNumbers(new int[] {closedPort});
        unreachable.setConnectTimeout(2);
        MeterRegistry registry = new SimpleMeterRegistry();
        new LamplighterMetrics(unreachable, List.of("report"), Duration.ZERO).bindTo(registry);

        try (LogCapture log = new LogCapture()) {
            for (int scrape = 0; scrape < 3; scrape++) {
                assertThat(depth(registry, "report")).isNaN();
                assertThat(registry.get(LamplighterMetrics.SCHEDULES).tag("state", "enabled").gauge().value()).isNaN();
            }
            assertThat(log.warnings()).singleElement().asString()
                    .contains("Lamplighter metrics cannot read the database");
        }
    }
}
