package dev.lamplighter.worker.internal.db;

import dev.lamplighter.worker.LamplighterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects a node to its database: the server in {@code LAMPLIGHTER_DATABASE_URL}, or else an
 * embedded PostgreSQL over {@code LAMPLIGHTER_DATA_DIR}; then migrates unless told not to.
 * Closing it closes the pool, then the embedded server.
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

    public static DatabaseStarter start(LamplighterConfig config) {
        EmbeddedDatabase embedded = null;
        ConnectionInfo info;
        String psql;
        if (config.databaseUrl().isPresent()) {
            String url = config.databaseUrl().get();
            info = ConnectionInfo.parse("LAMPLIGHTER_DATABASE_URL", url);
            psql = url.startsWith("jdbc:") ? ConnectionInfo.redact(url) : "\"" + ConnectionInfo.redact(url) + "\"";
            log.info("Using the database at {}", ConnectionInfo.redact(url));
        } else {
            try {
                embedded = EmbeddedDatabase.start(config.dataDirectory(), config.embeddedPort());
            } catch (RuntimeException e) {
                throw new IllegalStateException("Embedded PostgreSQL could not start in " + config.dataDirectory() + ": "
                        + e.getMessage() + ". As root this needs unprivileged user namespaces; run as a non-root user, "
                        + "or set LAMPLIGHTER_DATABASE_URL to a PostgreSQL server.", e);
            }
            info = embedded.connectionInfo();
            psql = embedded.url();
            log.info("Embedded PostgreSQL is up (data in {}): psql {}", config.dataDirectory(), psql);
        }
        Database database = Database.connect(info, config.poolSize(), "lamplighter");
        try {
            if (config.migrate()) {
                database.migrate();
            }
        } catch (RuntimeException e) {
            database.close();
            if (embedded != null) {
                embedded.close();
            }
            if (e instanceof org.flywaydb.core.api.exception.FlywayValidateException) {
                throw new dev.lamplighter.LamplighterException("The lamplighter schema in " + psql
                        + " was migrated by a different build of Lamplighter (" + e.getMessage().lines().skip(1).findFirst().orElse("")
                        + "). Run the build that migrated it, or, for a throwaway embedded database, delete "
                        + config.dataDirectory() + " to start afresh.", e);
            }
            throw e;
        }
        return new DatabaseStarter(database, embedded, psql);
    }

    public Database database() {
        return database;
    }

    /** What to give {@code psql} to look inside (password redacted). */
    public String psqlTarget() {
        return psqlTarget;
    }

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
