package dev.lamplighter.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.internal.db.DatabaseStarter;
import dev.lamplighter.worker.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The embedded default: a data directory of its own, initialised once, kept between starts. */
class EmbeddedDatabaseTest {

    @Test
    void a_second_start_over_the_same_data_directory_keeps_the_data() {
        Path dir = TestDatabase.tempDir("lamplighter-embedded-").resolve("pg");
        LamplighterConfig config = LamplighterConfig.builder().dataDirectory(dir).embeddedPort(0).poolSize(3).build();
        try (DatabaseStarter first = DatabaseStarter.start(config)) {
            assertThat(first.embedded()).isTrue();
            assertThat(first.psqlTarget()).startsWith("postgresql://postgres@localhost:");
            first.database().jdbi().useHandle(h -> h.execute("""
                    INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron)
                    VALUES ('kept', 'L', 'kept', '0 * * * *')"""));
        }
        try (DatabaseStarter second = DatabaseStarter.start(config)) {
            int kept = second.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM lamplighter.scheduled_jobs WHERE name = 'kept'").mapTo(Integer.class).one());
            assertThat(kept).isEqualTo(1);
            assertThat(second.database().migrate()).as("already migrated").isZero();
        }
    }
}
