package dev.lamplighter.worker.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A node runs the retention cleaner while it runs (unless retention is off) and stops it when it closes. */
class RetentionWiringTest {

    private final TestDatabase db = TestDatabase.get();

    @BeforeEach
    void reset() {
        db.reset();
    }

    private static long cleanerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("lamplighter-retention")).count();
    }

    @Test
    void a_node_starts_its_cleaner_with_the_node_and_stops_it_on_close() {
        long before = cleanerThreads();
        Lamplighter node = Lamplighter.builder(db.database().dataSource()).nodeId("retention-on").workerThreads(0)
                .schedulerEnabled(false).build();
        assertThat(cleanerThreads()).as("not before start").isEqualTo(before);
        node.start();
        assertThat(cleanerThreads()).isEqualTo(before + 1);
        assertThat(node.health().healthy()).isTrue();
        node.close();
        long deadline = System.nanoTime() + 10_000_000_000L;   // the executor's thread ends just after it terminates
        while (cleanerThreads() > before && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(cleanerThreads()).as("gone after close").isEqualTo(before);
    }

    @Test
    void a_node_with_retention_off_runs_no_cleaner() {
        long before = cleanerThreads();
        try (Lamplighter node = Lamplighter.builder(db.database().dataSource())
                .config(LamplighterConfig.builder().nodeId("retention-off").workerThreads(0).schedulerEnabled(false)
                        .retention(false).build())
                .start()) {
            assertThat(cleanerThreads()).isEqualTo(before);
        }
    }
}
