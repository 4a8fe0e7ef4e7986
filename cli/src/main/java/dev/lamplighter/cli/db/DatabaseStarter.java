package dev.lamplighter.cli.db;

import dev.lamplighter.worker.internal.db.Database;
import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.LamplighterException;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to the database: the server in {@code LAMPLIGHTER_DATABASE_URL}, or else an embedded
 * PostgreSQL over {@code LAMPLIGHTER_DATA_DIR}. Closing it closes the pool, then the embedded
 * server if this process started it.
 *
 * <p>A node starts the embedded server itself and migrates unless told not to; a second node
 * over a directory that a running one holds fails with {@link DataDirectoryInUseException}.
 * Operator commands connect with {@link OperatorConnection} instead.
 */
public final class DatabaseStarter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DatabaseStarter.class);

    private final Database database;
    private final EmbeddedDatabase embedded;
    private final String psqlTarget;

    private DatabaseStarter(Database database, EmbeddedDatabase embedded, String psqlTarget) {
        this.database = database;
        this.embedded = embedded;
        this.psqlTarget = psqlTarget;
    }

    /** For a node: connects (starting the embedded server if there is no URL) and migrates unless told not to. */
    public static DatabaseStarter start(CliSettings config) {
        if (config.databaseUrl().isPresent()) {
            return migrated(external(config, config.poolSize()), config);
        }
        EmbeddedDatabase embedded = EmbeddedDatabase.start(config.dataDirectory(), config.embeddedPort());
        log.info("Embedded PostgreSQL is up (data in {}, node role {}): psql {}", config.dataDirectory(),
                EmbeddedDatabase.NODE_ROLE, embedded.url());
        Database database = Database.connect(embedded.connectionInfo(), config.poolSize(), "lamplighter");
        return migrated(new DatabaseStarter(database, embedded, embedded.url()), config);
    }

    private static DatabaseStarter external(CliSettings config, int poolSize) {
        String url = config.databaseUrl().orElseThrow();
        ConnectionInfo info = ConnectionInfo.parse("LAMPLIGHTER_DATABASE_URL", url);
        String psql = url.startsWith("jdbc:") ? ConnectionInfo.redact(url) : "\"" + ConnectionInfo.redact(url) + "\"";
        log.info("Using the database at {}", ConnectionInfo.redact(url));
        return new DatabaseStarter(Database.connect(info, poolSize, "lamplighter"), null, psql);
    }

    private static DatabaseStarter migrated(DatabaseStarter starter, CliSettings config) {
        try {
            if (config.node().migrate()) {
                starter.database.migrate();
            }
            return starter;
        } catch (RuntimeException e) {
            starter.close();
            if (e instanceof FlywayValidateException) {
                throw new LamplighterException("The lamplighter schema in " + starter.psqlTarget
                        + " was migrated by a different build of Lamplighter (" + e.getMessage().lines().skip(1).findFirst().orElse("")
                        + "). Run the build that migrated it, or, for a throwaway embedded database, delete "
                        + config.dataDirectory() + " to start afresh.", e);
            }
            throw e;
        }
    }

    public Database database() {
        return database;
    }

    /** What to give {@code psql} to look inside (password redacted). */
    public String psqlTarget() {
        return psqlTarget;
    }

    /** Whether this process started the embedded server (and stops it on close). */
    public boolean embedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        database.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
