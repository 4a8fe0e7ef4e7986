package dev.lamplighter.chaos.racing;

import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.internal.db.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The database a chaos program runs against: the server in {@code LAMPLIGHTER_DATABASE_URL} when
 * it is set, else a throwaway embedded PostgreSQL (no fsync: durability buys nothing here) that
 * is removed when the program ends. Migrated once on open. Used by the racing-pollers and the
 * killed-workers programs.
 */
public final class ProgramDatabase implements AutoCloseable {

    private final ConnectionInfo info;
    private final EmbeddedPostgres embedded;
    private final String description;

    private ProgramDatabase(ConnectionInfo info, EmbeddedPostgres embedded, String description) {
        this.info = info;
        this.embedded = embedded;
        this.description = description;
    }

    /**
     * Opens the database named by {@code LAMPLIGHTER_DATABASE_URL}, or starts a throwaway one, and
     * migrates it.
     *
     * @return the database; close it to stop a throwaway server
     */
    public static ProgramDatabase open() {
        String url = System.getenv("LAMPLIGHTER_DATABASE_URL");
        ProgramDatabase db;
        if (url != null && !url.isBlank()) {
            db = new ProgramDatabase(ConnectionInfo.parse("LAMPLIGHTER_DATABASE_URL", url), null, ConnectionInfo.redact(url));
        } else {
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .start();
                db = new ProgramDatabase(new ConnectionInfo("jdbc:postgresql://localhost:" + pg.getPort() + "/postgres",
                        "postgres", null), pg, "a throwaway embedded PostgreSQL on port " + pg.getPort());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start a throwaway embedded PostgreSQL: " + e.getMessage(), e);
            }
        }
        try (Database d = Database.connect(db.info, 2, "chaos-migrate")) {
            d.migrate();
        }
        return db;
    }

    /**
     * The server as a JDBC URL that carries the user and password, the form
     * {@code LAMPLIGHTER_DATABASE_URL} takes: for the programs' nodes and worker processes.
     *
     * @return the URL
     */
    public String url() {
        return urlWithCredentials(info);
    }

    static ConnectionInfo parse(String databaseUrl) {
        return ConnectionInfo.parse("LAMPLIGHTER_DATABASE_URL", databaseUrl);
    }

    /**
     * Which server, for the report (password redacted).
     *
     * @return a short description
     */
    public String description() {
        return description;
    }

    /**
     * A JDBC URL that carries the user and password of {@code info}.
     *
     * @param jdbcUrl a JDBC URL
     * @param user the user, or null
     * @param password the password, or null
     * @return the URL
     */
    public static String urlWithCredentials(String jdbcUrl, String user, String password) {
        return urlWithCredentials(new ConnectionInfo(jdbcUrl, user, password));
    }

    private static String urlWithCredentials(ConnectionInfo info) {
        StringBuilder url = new StringBuilder(info.jdbcUrl());
        char sep = info.jdbcUrl().contains("?") ? '&' : '?';
        if (info.user() != null) {
            url.append(sep).append("user=").append(URLEncoder.encode(info.user(), StandardCharsets.UTF_8));
            sep = '&';
        }
        if (info.password() != null) {
            url.append(sep).append("password=").append(URLEncoder.encode(info.password(), StandardCharsets.UTF_8));
        }
        return url.toString();
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
