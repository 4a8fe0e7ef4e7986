package dev.lamplighter.worker.internal.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The pool, Jdbi over it, and the schema migration. Closing it closes the pool. */
public final class Database implements AutoCloseable {

    /** Where the migrations sit on the classpath (packaged from the repository's migrations/). */
    public static final String MIGRATIONS_LOCATION = "classpath:lamplighter/migrations";
    /** Flyway's history table, in the lamplighter schema, apart from any application's own. */
    public static final String HISTORY_TABLE = "lamplighter_schema_history";
    /** The schema Lamplighter migrates. */
    public static final String SCHEMA = "lamplighter";

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final ConnectionInfo info;
    private final HikariDataSource pool;
    private final Jdbi jdbi;

    private Database(ConnectionInfo info, HikariDataSource pool) {
        this.info = info;
        this.pool = pool;
        this.jdbi = Jdbi.create(pool).installPlugin(new PostgresPlugin());
    }

    public static Database connect(ConnectionInfo info, int poolSize, String poolName) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(info.jdbcUrl());
        if (info.user() != null) {
            config.setUsername(info.user());
        }
        if (info.password() != null) {
            config.setPassword(info.password());
        }
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setPoolName(poolName);
        config.setConnectionTimeout(10_000);
        config.addDataSourceProperty("ApplicationName", "lamplighter");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.setInitializationFailTimeout(1);
        try {
            return new Database(info, new HikariDataSource(config));
        } catch (RuntimeException e) {
            SQLException cause = DatabaseConnectException.sqlCause(e);
            if (cause == null) {
                throw e;
            }
            throw new DatabaseConnectException(info, cause);
        }
    }

    /**
     * Applies the migrations in {@value #MIGRATIONS_LOCATION}; returns how many were applied.
     *
     * <p>Flyway creates the schema (owned by the role it connects as) before V1 runs, so V1's
     * {@code CREATE SCHEMA IF NOT EXISTS} draws PostgreSQL's NOTICE "schema already exists,
     * skipping", which Flyway would log as a WARN on every fresh database. Flyway therefore migrates
     * over connections of its own that ask for warnings and errors only
     * ({@code client_min_messages = warning}); the pool's connections keep the server's default.
     */
    public int migrate() {
        MigrateResult result = Flyway.configure()
                .dataSource(quietDataSource())
                .locations(MIGRATIONS_LOCATION)
                .schemas(SCHEMA)
                .defaultSchema(SCHEMA)
                .table(HISTORY_TABLE)
                .load()
                .migrate();
        log.info("Schema lamplighter at version {} ({} migration(s) applied)",
                result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                result.migrationsExecuted);
        return result.migrationsExecuted;
    }

    /** Unpooled connections that do not receive NOTICEs, for Flyway (see {@link #migrate()}). */
    private DataSource quietDataSource() {
        PGSimpleDataSource ds = info.unpooled("lamplighter-migrate");
        ds.setOptions("-c client_min_messages=warning");
        return ds;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return pool;
    }

    public ConnectionInfo connectionInfo() {
        return info;
    }

    /**
     * A connection outside the pool, for LISTEN: it must stay open and must not be handed to
     * anyone else.
     */
    public Connection openDedicatedConnection() throws SQLException {
        Properties props = new Properties();
        if (info.user() != null) {
            props.setProperty("user", info.user());
        }
        if (info.password() != null) {
            props.setProperty("password", info.password());
        }
        props.setProperty("ApplicationName", "lamplighter-listener");
        return DriverManager.getConnection(info.jdbcUrl(), props);
    }

    @Override
    public void close() {
        pool.close();
    }
}
