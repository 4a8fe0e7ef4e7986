package dev.lamplighter.worker.internal.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import dev.lamplighter.LamplighterException;
import dev.lamplighter.internal.SqlFiles;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jdbi over the database's DataSource, and the schema migration. Either over the application's own
 * DataSource ({@link #over}), which Lamplighter never closes, or over a HikariCP pool it builds
 * from a URL ({@link #connect}), which closing this closes.
 */
public final class Database implements AutoCloseable {

    /** Where the migrations sit on the classpath (packaged from the repository's migrations/). */
    public static final String MIGRATIONS_LOCATION = "classpath:lamplighter/migrations";
    /** Flyway's history table, in the lamplighter schema, apart from any application's own. */
    public static final String HISTORY_TABLE = "lamplighter_schema_history";
    /** The schema Lamplighter migrates. */
    public static final String SCHEMA = "lamplighter";

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final String DESCRIBE_SCHEMA = SqlFiles.load("schema/describe");
    private static final String NOT_MIGRATING = "(LamplighterConfig.migrate(false), LAMPLIGHTER_MIGRATE=false)";
    private static final String HOW_TO_MIGRATE = ": apply the migrations in " + MIGRATIONS_LOCATION
            + " (schema " + SCHEMA + ", Flyway history table " + HISTORY_TABLE
            + ") with your own Flyway or Liquibase first, or leave migrate on";

    private final ConnectionInfo info;
    private final DataSource dataSource;
    private final AutoCloseable owned;
    private final Jdbi jdbi;

    private Database(ConnectionInfo info, DataSource dataSource, AutoCloseable owned) {
        this.info = info;
        this.dataSource = dataSource;
        this.owned = owned;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
    }

    /** Over the application's DataSource (any pool); closing this leaves it open. */
    public static Database over(DataSource dataSource) {
        return new Database(null, java.util.Objects.requireNonNull(dataSource, "dataSource"), null);
    }

    /**
     * Builds a HikariCP pool of {@code poolSize} connections to {@code info}; closing this closes it.
     *
     * @throws dev.lamplighter.LamplighterException if HikariCP is not on the classpath
     */
    public static Database connect(ConnectionInfo info, int poolSize, String poolName) {
        com.zaxxer.hikari.HikariDataSource pool;
        try {
            pool = HikariPool.create(info, poolSize, poolName);
        } catch (NoClassDefFoundError e) {
            throw new dev.lamplighter.LamplighterException("A node given a database URL builds a HikariCP pool, and "
                    + "com.zaxxer:HikariCP is not on the classpath: add it, or give Lamplighter your own DataSource "
                    + "(Lamplighter.builder(dataSource))", e);
        }
        return new Database(info, pool, pool);
    }

    /**
     * Applies the migrations in {@value #MIGRATIONS_LOCATION}; returns how many were applied.
     *
     * <p>Flyway creates the schema (owned by the role it connects as) before V1 runs, so V1's
     * {@code CREATE SCHEMA IF NOT EXISTS} draws PostgreSQL's NOTICE "schema already exists,
     * skipping", which Flyway would log as a WARN on every fresh database. Flyway therefore migrates
     * over connections of its own that ask for warnings and errors only
     * ({@code client_min_messages = warning}); the pool's connections keep the server's default.
     * Over the application's DataSource, Flyway uses that DataSource as it is (whose session
     * settings are the application's), and a fresh database may log that NOTICE once.
     */
    public int migrate() {
        MigrateResult result;
        try {
            result = flyway(info != null ? quietDataSource() : dataSource).migrate();
        } catch (org.flywaydb.core.api.FlywayException e) {
            throw cannotConnect(e);
        }
        log.info("Schema lamplighter at version {} ({} migration(s) applied)",
                result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                result.migrationsExecuted);
        return result.migrationsExecuted;
    }

    private static Flyway flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(MIGRATIONS_LOCATION)
                .schemas(SCHEMA)
                .defaultSchema(SCHEMA)
                .table(HISTORY_TABLE)
                .load();
    }

    /**
     * For a node that does not migrate: fails with one line saying what to do if the schema is
     * missing, or if Flyway's history shows migrations of this build not yet applied. A schema
     * applied without Flyway (Liquibase, by hand) is only checked for its tables.
     *
     * @throws LamplighterException naming what is missing and how to apply it
     */
    public void requireMigrated() {
        Map<String, Object> found = jdbi.withHandle(h -> h.createQuery(DESCRIBE_SCHEMA).mapToMap().one());
        if (!Boolean.TRUE.equals(found.get("present"))) {
            throw new LamplighterException("The lamplighter schema is missing and migrate is off " + NOT_MIGRATING
                    + HOW_TO_MIGRATE);
        }
        if (Boolean.TRUE.equals(found.get("flyway_history"))) {
            MigrationInfoService migrations = flyway(dataSource).info();
            MigrationInfo[] pending = migrations.pending();
            if (pending.length > 0) {
                MigrationInfo current = migrations.current();
                throw new LamplighterException("The lamplighter schema is at version "
                        + (current == null ? "none" : current.getVersion())
                        + ", and this build of Lamplighter needs the migrations "
                        + Arrays.stream(pending).map(m -> String.valueOf(m.getVersion())).collect(Collectors.joining(", "))
                        + " too; migrate is off " + NOT_MIGRATING + HOW_TO_MIGRATE);
            }
        }
    }

    /**
     * A Flyway failure to connect, as the one line of a {@link DatabaseConnectException} (with what
     * to do when a pooler refused the connection: PgBouncer refuses the startup parameter
     * {@code options} of the migration's connections); any other failure as it is.
     */
    private RuntimeException cannotConnect(org.flywaydb.core.api.FlywayException e) {
        SQLException cause = DatabaseConnectException.sqlCause(e);
        if (info == null || cause == null || cause.getSQLState() == null || !cause.getSQLState().startsWith("08")) {
            return e;
        }
        String hint = String.valueOf(cause.getMessage()).contains("unsupported startup parameter")
                ? " (a connection pooler such as PgBouncer refuses it): migrate over a direct connection to PostgreSQL,"
                        + " and set LAMPLIGHTER_MIGRATE=false on nodes behind the pooler (docs/pgbouncer.md)"
                : "";
        return new DatabaseConnectException(info, cause, hint);
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
        return dataSource;
    }

    public ConnectionInfo connectionInfo() {
        return info;
    }

    /**
     * A connection for LISTEN that stays open and is handed to no one else: outside the pool when
     * Lamplighter built the pool, else one connection of the application's DataSource, held for as
     * long as the node listens (it is returned with {@code UNLISTEN *} done).
     */
    public Connection openDedicatedConnection() throws SQLException {
        if (info == null) {
            Connection c = dataSource.getConnection();
            c.setAutoCommit(true);
            return c;
        }
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

    /** Closes the pool Lamplighter built; leaves an application's DataSource open. */
    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                log.warn("Closing the connection pool: {}", e.getMessage());
            }
        }
    }
}
