package dev.lamplighter.cli.db;

import dev.lamplighter.LamplighterException;
import dev.lamplighter.internal.SqlFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Checks, without migrating, that a database's lamplighter schema is at the version this build
 * carries: what the read-only commands do instead of running Flyway.
 */
public final class SchemaVersion {

    private static final String CURRENT = SqlFiles.load("cli/schema_version");
    private static final Pattern MIGRATION = Pattern.compile("V([0-9][0-9_.]*)__.*\\.sql");
    private static final String LOCATION = "lamplighter/migrations";

    private SchemaVersion() {
    }

    /** The newest migration packaged with this build (from {@code V<n>__*.sql} on the classpath). */
    public static MigrationVersion expected() {
        return migrationFiles().stream()
                .map(MIGRATION::matcher).filter(Matcher::matches)
                .map(m -> MigrationVersion.fromVersion(m.group(1)))
                .max(Comparator.naturalOrder())
                .orElseThrow(() -> new IllegalStateException("No migrations on the classpath at " + LOCATION));
    }

    /**
     * The version the schema is at, or empty if it was never migrated.
     */
    public static Optional<MigrationVersion> current(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(CURRENT)) {
            return rs.next() ? Optional.of(MigrationVersion.fromVersion(rs.getString(1))) : Optional.empty();
        } catch (SQLException e) {
            // 42P01: no history table; 3F000: no schema
            if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Fails with one line if the schema is missing or older than this build expects.
     *
     * @param where the database, as the user knows it (a redacted URL)
     */
    public static void require(Connection c, String where) throws SQLException {
        MigrationVersion expected = expected();
        Optional<MigrationVersion> current = current(c);
        if (current.isEmpty()) {
            throw new LamplighterException("The lamplighter schema is missing in " + where
                    + ": run `lamplighter migrate` (or start a node, which migrates) first");
        }
        if (current.get().compareTo(expected) < 0) {
            throw new LamplighterException("The lamplighter schema in " + where + " is at version " + current.get()
                    + ", older than this build's " + expected + ": run `lamplighter migrate` (or start a node of this build) first");
        }
    }

    private static List<String> migrationFiles() {
        ClassLoader loader = SchemaVersion.class.getClassLoader();
        URL url = loader.getResource(LOCATION);
        if (url == null) {
            return List.of();
        }
        try {
            if ("jar".equals(url.getProtocol())) {
                JarURLConnection connection = (JarURLConnection) url.openConnection();
                connection.setUseCaches(false);
                try (JarFile jar = connection.getJarFile()) {
                    return jar.stream().map(e -> e.getName())
                            .filter(n -> n.startsWith(LOCATION + "/") && n.indexOf('/', LOCATION.length() + 1) < 0)
                            .map(n -> n.substring(LOCATION.length() + 1)).toList();
                }
            }
            try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                return files.map(p -> p.getFileName().toString()).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the migrations at " + url, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot list the migrations at " + url, e);
        }
    }
}
