package dev.lamplighter.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.JobHandler;
import dev.lamplighter.LamplighterException;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A team that applies the shipped migrations with its own Flyway, as the README shows, and starts
 * the node with {@code migrate(false)}: the node leaves the schema alone and works.
 */
class OwnMigrationsTest {

    private static final String DATABASE = "own_flyway_check";

    private final TestDatabase db = TestDatabase.get();
    private PGSimpleDataSource dataSource;

    @BeforeEach
    void freshDatabase() {
        db.jdbi().useHandle(h -> {
            h.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            h.execute("CREATE DATABASE " + DATABASE);
        });
        ConnectionInfo info = db.database().connectionInfo();
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(info.jdbcUrl().replaceFirst("/[^/?]*(\\?|$)", "/" + DATABASE + "$1"));
        dataSource.setUser(info.user());
        if (info.password() != null) {
            dataSource.setPassword(info.password());
        }
    }

    @AfterEach
    void dropDatabase() {
        db.jdbi().useHandle(h -> h.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)"));
    }

    @Test
    void a_node_with_migrate_off_runs_jobs_on_a_schema_applied_by_the_applications_own_flyway() throws Exception {
        // The README's snippet for a team's own Flyway.
        Flyway.configure().dataSource(dataSource)
                .locations("classpath:lamplighter/migrations")
                .schemas("lamplighter").table("lamplighter_schema_history")
                .load().migrate();
        Jdbi fresh = Jdbi.create(dataSource);
        List<String> appliedBefore = history(fresh);
        assertThat(appliedBefore).isNotEmpty();

        BlockingQueue<Long> ran = new ArrayBlockingQueue<>(1);
        try (Lamplighter node = Lamplighter.builder(dataSource)
                .config(LamplighterConfig.builder().workerPollInterval(Duration.ofMillis(200)).build())
                .nodeId("own-flyway").migrate(false)
                .handler(JobHandler.of("hello", ctx -> {
                    ran.add(ctx.jobId());
                    return Map.of("said", "hello");
                }))
                .start()) {
            long id = node.client().enqueue(JobRequest.builder("hello").build());
            assertThat(ran.poll(30, TimeUnit.SECONDS)).as("the job ran within 30 s").isEqualTo(id);
            assertThat(node.isHealthy()).isTrue();
        }
        assertThat(history(fresh)).as("the node applied nothing itself").isEqualTo(appliedBefore);
        String status = fresh.withHandle(h -> h.createQuery("SELECT status FROM lamplighter.jobs").mapTo(String.class).one());
        assertThat(status).isEqualTo("completed");
    }

    @Test
    void a_node_with_migrate_off_on_a_database_without_the_schema_fails_at_start_saying_how_to_migrate() {
        Lamplighter node = Lamplighter.builder(dataSource).nodeId("no-schema").migrate(false).build();
        assertThatThrownBy(node::start)
                .isInstanceOf(LamplighterException.class)
                .hasMessage("The lamplighter schema is missing and migrate is off (LamplighterConfig.migrate(false), "
                        + "LAMPLIGHTER_MIGRATE=false): apply the migrations in classpath:lamplighter/migrations "
                        + "(schema lamplighter, Flyway history table lamplighter_schema_history) with your own Flyway "
                        + "or Liquibase first, or leave migrate on");
        node.close();
        assertThat(schemaExists(Jdbi.create(dataSource))).as("the node created nothing").isFalse();
    }

    @Test
    void a_node_with_migrate_off_on_a_schema_older_than_its_build_fails_at_start_naming_the_pending_versions() {
        Flyway.configure().dataSource(dataSource)
                .locations("classpath:lamplighter/migrations")
                .schemas("lamplighter").table("lamplighter_schema_history")
                .target("5")
                .load().migrate();
        Lamplighter node = Lamplighter.builder(dataSource).nodeId("old-schema").migrate(false).build();
        assertThatThrownBy(node::start)
                .isInstanceOf(LamplighterException.class)
                .hasMessageMatching("The lamplighter schema is at version 5, and this build of Lamplighter needs "
                        + "the migrations 6, 7, 8, 9(, \\d+)* too; migrate is off \\(LamplighterConfig.migrate\\(false\\), "
                        + "LAMPLIGHTER_MIGRATE=false\\): apply the migrations in classpath:lamplighter/migrations .*");
        node.close();
        int nodes = Jdbi.create(dataSource).withHandle(h -> h.createQuery("SELECT count(*) FROM lamplighter.nodes")
                .mapTo(Integer.class).one());
        assertThat(nodes).as("the node did not announce itself").isZero();
    }

    @Test
    void a_node_with_migrate_on_migrates_an_empty_database() {
        try (Lamplighter node = Lamplighter.builder(dataSource).nodeId("migrating").workerThreads(0).start()) {
            assertThat(node.isHealthy()).isTrue();
        }
        assertThat(history(Jdbi.create(dataSource))).isNotEmpty();
    }

    private static boolean schemaExists(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT exists (SELECT FROM pg_namespace WHERE nspname = 'lamplighter')")
                .mapTo(Boolean.class).one());
    }

    private static List<String> history(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT version || ' ' || checksum FROM lamplighter.lamplighter_schema_history ORDER BY installed_rank")
                .mapTo(String.class).list());
    }
}
