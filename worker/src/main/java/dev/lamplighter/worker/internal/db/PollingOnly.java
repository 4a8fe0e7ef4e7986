package dev.lamplighter.worker.internal.db;

import dev.lamplighter.worker.internal.config.Durations;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node with LISTEN off ({@code LAMPLIGHTER_LISTEN=false}), the way to run behind PgBouncer in
 * transaction mode: it opens no LISTEN connection, and says so once at start, with what that costs.
 *
 * <p>It also looks at one connection of the DataSource: pgjdbc switches a statement it has run
 * {@code prepareThreshold} times (5 by default) on one connection to a named server-side prepared
 * statement, which PgBouncer before 1.21 (or without {@code max_prepared_statements}) does not carry
 * from one transaction to the next, so the next use fails with "prepared statement S_1 does not
 * exist". A node with LISTEN off whose connections keep such a threshold gets one WARN line naming
 * the URL parameter ({@code prepareThreshold=0}). It changes nothing itself: the DataSource is the
 * application's, and its own statements need the same setting.
 */
public final class PollingOnly {

    private static final Logger log = LoggerFactory.getLogger(PollingOnly.class);

    private PollingOnly() {
    }

    /**
     * Logs that the node polls only; warns if the DataSource's connections prepare statements on the
     * server, and if the node migrated over it (Flyway's session {@code SET search_path} would stay
     * behind on a server connection that PgBouncer hands to other clients).
     */
    public static void announce(DataSource dataSource, String nodeId, Duration pollInterval, Duration workerPollInterval,
                                boolean migrated) {
        log.info("LISTEN is off on node {} (LAMPLIGHTER_LISTEN=false): no LISTEN connection; the poll loop looks for "
                        + "due schedules every {} and idle workers look for jobs every {}, without waking on NOTIFY",
                nodeId, Durations.human(pollInterval), Durations.human(workerPollInterval));
        int threshold = prepareThreshold(dataSource);
        if (threshold > 0) {
            log.warn("LISTEN is off on node {}, as behind PgBouncer in transaction mode, and the DataSource's connections "
                            + "use prepareThreshold={}: PgBouncer before 1.21 (or without max_prepared_statements) loses "
                            + "server-side prepared statements between transactions. Add prepareThreshold=0 to the JDBC URL "
                            + "(see docs/pgbouncer.md), unless the node connects to PostgreSQL directly",
                    nodeId, threshold);
        }
        if (migrated) {
            log.warn("LISTEN is off on node {}, as behind PgBouncer in transaction mode, and the node applied the schema "
                    + "migrations over its DataSource: through PgBouncer in transaction mode, Flyway's session settings "
                    + "(SET search_path) stay on a server connection that other clients get next. Migrate over a direct "
                    + "connection to PostgreSQL (lamplighter migrate) and set LAMPLIGHTER_MIGRATE=false on nodes behind "
                    + "PgBouncer (see docs/pgbouncer.md), unless the node connects to PostgreSQL directly", nodeId);
        }
    }

    /** The pgjdbc prepareThreshold of the DataSource's connections; 0 when it is not pgjdbc or cannot be read. */
    static int prepareThreshold(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.isWrapperFor(PGConnection.class) ? c.unwrap(PGConnection.class).getPrepareThreshold() : 0;
        } catch (SQLException | RuntimeException e) {
            log.debug("Cannot read prepareThreshold of the DataSource's connections: {}", e.getMessage());
            return 0;
        }
    }
}
