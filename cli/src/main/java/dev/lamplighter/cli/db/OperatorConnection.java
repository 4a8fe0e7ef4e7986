package dev.lamplighter.cli.db;

import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.internal.db.DatabaseConnectException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator command (status, history, decisions, trigger, enable, disable) talks to: one
 * JDBC connection with a Jdbi handle over it, no pool, no Flyway, so that a command answers in a
 * fraction of a second. It never migrates; it checks that the schema is at this build's version.
 *
 * <p>Which server: {@code LAMPLIGHTER_DATABASE_URL}; else the embedded server already running
 * over {@code LAMPLIGHTER_DATA_DIR} (held by a running node, or left running by one that died),
 * read from its {@code postmaster.pid}; else an embedded server started for the length of the
 * command.
 */
public final class OperatorConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OperatorConnection.class);
    private final ConnectionInfo info;
    private final DataSource dataSource;
    private final Connection connection;
    private final Handle handle;
    private final EmbeddedDatabase embedded;
    private final String target;

    private OperatorConnection(ConnectionInfo info, EmbeddedDatabase embedded, String target) {
        this.info = info;
        this.embedded = embedded;
        this.target = target;
        PGSimpleDataSource ds = info.unpooled("lamplighter-cli");
        this.dataSource = ds;
        try {
            this.connection = ds.getConnection();
            this.handle = Jdbi.open(connection);
        } catch (SQLException e) {
            throw new DatabaseConnectException(info, e);
        }
    }

    /** Connects as the configuration says, and checks the schema's version. */
    public static OperatorConnection open(CliSettings config) {
        OperatorConnection c;
        if (config.databaseUrl().isPresent()) {
            String url = config.databaseUrl().get();
            log.debug("Using the database at {}", ConnectionInfo.redact(url));
            c = new OperatorConnection(ConnectionInfo.parse("LAMPLIGHTER_DATABASE_URL", url), null,
                    url.startsWith("jdbc:") ? ConnectionInfo.redact(url) : "\"" + ConnectionInfo.redact(url) + "\"");
        } else {
            Optional<Integer> running = EmbeddedDatabase.runningPort(config.dataDirectory());
            if (running.isPresent()) {
                log.debug("Using the embedded PostgreSQL already running over {} on port {}", config.dataDirectory(), running.get());
                c = new OperatorConnection(EmbeddedDatabase.nodeConnection(running.get()), null,
                        EmbeddedDatabase.nodeUrl(running.get()));
            } else {
                EmbeddedDatabase embedded = EmbeddedDatabase.start(config.dataDirectory(), config.embeddedPort());
                try {
                    c = new OperatorConnection(embedded.connectionInfo(), embedded, embedded.url());
                } catch (RuntimeException e) {
                    embedded.close();
                    throw e;
                }
            }
        }
        try {
            SchemaVersion.require(c.connection, c.target);
            log.debug("Schema lamplighter is at this build's version or newer ({}) in {}", SchemaVersion.expected(), c.target);
            return c;
        } catch (SQLException e) {
            c.close();
            throw new DatabaseConnectException(c.info, e);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The database as the user knows it (a redacted URL). */
    public String target() {
        return target;
    }

    /** Unpooled connections to the same database, for code that takes a DataSource. */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Runs a query with {@code :name} parameters; rows as column-to-value maps, in column order.
     * SQL arrays come back as lists (read while the connection is open).
     */
    public List<Map<String, Object>> query(String sql, Map<String, ?> params) {
        try {
            List<Map<String, Object>> rows = handle.createQuery(sql).bindMap(params).mapToMap().list();
            for (Map<String, Object> row : rows) {
                for (Map.Entry<String, Object> e : row.entrySet()) {
                    if (e.getValue() instanceof java.sql.Array array) {
                        e.setValue(java.util.Arrays.asList((Object[]) array.getArray()));
                    }
                }
            }
            return rows;
        } catch (JdbiException e) {
            throw failed(e);
        } catch (SQLException e) {
            throw new dev.lamplighter.LamplighterException("Cannot read an array in " + target + ": " + e.getMessage(), e);
        }
    }

    /** Runs an update with {@code :name} parameters; returns the number of rows it changed. */
    public int update(String sql, Map<String, ?> params) {
        try {
            return handle.createUpdate(sql).bindMap(params).execute();
        } catch (JdbiException e) {
            throw failed(e);
        }
    }

    /**
     * Runs {@code work} in one transaction: committed when {@code commit} is true and the work
     * returns, rolled back otherwise (always rolled back when {@code commit} is false).
     */
    public <T> T inTransaction(boolean commit, Function<Handle, T> work) {
        try {
            handle.begin();
            boolean done = false;
            try {
                T result = work.apply(handle);
                done = true;
                return result;
            } finally {
                if (done && commit) {
                    handle.commit();
                } else {
                    handle.rollback();
                }
            }
        } catch (JdbiException e) {
            throw failed(e);
        }
    }

    /**
     * Runs {@code work} on the command's handle, outside a transaction (the work may open its own):
     * for the checks the CLI shares with the admin API ({@code explain}, {@code doctor}, {@code drift}).
     */
    public <T> T withHandle(Function<Handle, T> work) {
        try {
            return work.apply(handle);
        } catch (JdbiException e) {
            throw failed(e);
        }
    }

    /** The command's one connection (inside {@link #inTransaction}, the transaction's). */
    public Connection connection() {
        return connection;
    }

    private RuntimeException failed(JdbiException e) {
        if (e.getCause() instanceof SQLException sql) {
            String state = sql.getSQLState();
            if (state != null && state.startsWith("08")) {
                return new DatabaseConnectException(info, sql);
            }
            return new dev.lamplighter.LamplighterException("A statement failed in " + target + ": " + sql.getMessage(), sql);
        }
        return e;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("Closing the operator connection: {}", e.getMessage());
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
