package dev.lamplighter.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The standalone worker's path: launchers and handlers listed in META-INF/services are found and run. */
class ServiceLoaderTest {

    private final TestDatabase db = TestDatabase.get();

    @BeforeEach
    void reset() {
        db.reset();
    }

    @Test
    void launchers_and_handlers_on_the_classpath_are_found_and_run() {
        MutableClock clock = dev.lamplighter.worker.testing.TestClock.mutable();
        db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_interval, next_run)
                VALUES ('from_sql', 'DiscoveredLauncher', 'discovered', interval '1 hour', :due)""")
                .bind("due", clock.instant().minus(Duration.ofHours(1))).execute());
        LamplighterConfig config = LamplighterConfig.builder().clock(clock).nodeId("discovery")
                .pollInterval(Duration.ofHours(1)).build();
        Lamplighter node = Lamplighter.builder(db.database().dataSource()).config(config)
                .discover(Thread.currentThread().getContextClassLoader()).build();

        assertThat(node.launcherNames()).contains("DiscoveredLauncher");
        assertThat(node.jobTypes()).contains("discovered");
        assertThat(node.poller().runOnce().launched()).isEqualTo(1);
        assertThat(node.workers().runOnce()).isEqualTo(1);
        String result = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT CAST(result AS text) FROM lamplighter.jobs WHERE schedule_name = 'from_sql'").mapTo(String.class).one());
        assertThat(result).isEqualTo("{\"handled_by\": \"DiscoveredHandler\"}");
        node.close();
    }
}
