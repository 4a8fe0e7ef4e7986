package dev.lamplighter.worker.security;

import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Logins for people, as {@code sql/cookbook/grants.sql} intends them: a member of
 * {@code lamplighter_reader} and a member of {@code lamplighter_operator}, each connecting on its
 * own (never through the test's superuser pool).
 */
public final class OperatorLogins {

    /** A login that is a member of lamplighter_reader. */
    public static final String READER = "role_test_reader";
    /** A login that is a member of lamplighter_operator. */
    public static final String OPERATOR = "role_test_operator";
    /** The password of both logins. */
    public static final String PASSWORD = "role-test-secret";

    private static final Path GRANTS = Path.of("..", "sql", "cookbook", "grants.sql").toAbsolutePath().normalize();

    private OperatorLogins() {
    }

    /** Runs grants.sql as the test's superuser and creates the two logins if they are missing. */
    public static void ensure(TestDatabase db) {
        try (Connection c = db.database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(Files.readString(GRANTS));
            s.execute("""
                    DO $$ BEGIN
                        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%1$s') THEN
                            CREATE ROLE %1$s LOGIN PASSWORD '%3$s' IN ROLE lamplighter_reader;
                        END IF;
                        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%2$s') THEN
                            CREATE ROLE %2$s LOGIN PASSWORD '%3$s' IN ROLE lamplighter_operator;
                        END IF;
                    END $$""".formatted(READER, OPERATOR, PASSWORD));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set up the reader and operator logins: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A connection of its own as {@code user}. */
    public static Connection connect(TestDatabase db, String user) throws SQLException {
        return DriverManager.getConnection(db.database().connectionInfo().jdbcUrl(), user, PASSWORD);
    }

    /** {@code LAMPLIGHTER_DATABASE_URL} for {@code user}. */
    public static String url(TestDatabase db, String user) {
        ConnectionInfo info = db.database().connectionInfo();
        return info.jdbcUrl() + (info.jdbcUrl().contains("?") ? "&" : "?") + "user=" + user + "&password=" + PASSWORD;
    }
}
