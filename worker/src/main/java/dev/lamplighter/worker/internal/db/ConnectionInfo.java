package dev.lamplighter.worker.internal.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where and as whom to connect. Accepts {@code postgresql://user:pass@host:port/db?opts} (also
 * {@code postgres://}) and {@code jdbc:postgresql://host:port/db?user=..&password=..}.
 */
public record ConnectionInfo(String jdbcUrl, String user, String password) {

    public static ConnectionInfo parse(String setting, String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(setting + " is empty: expected postgresql://user:pass@host:port/db or jdbc:postgresql://host:port/db");
        }
        String trimmed = url.trim();
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return new ConnectionInfo(trimmed, null, null);
        }
        if (!trimmed.startsWith("postgresql://") && !trimmed.startsWith("postgres://")) {
            throw new IllegalArgumentException(setting + " = \"" + redact(trimmed)
                    + "\" is not allowed: expected postgresql://user:pass@host:port/db or jdbc:postgresql://host:port/db");
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(setting + " = \"" + redact(trimmed) + "\" is not a valid URL: " + e.getReason(), e);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(setting + " = \"" + redact(trimmed) + "\" has no host: expected postgresql://user:pass@host:port/db");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String db = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "" : uri.getRawPath().substring(1);
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append('/').append(db);
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        return new ConnectionInfo(jdbc.toString(), user, password);
    }

    /** The URL with any password replaced, for logs and error messages. */
    public static String redact(String url) {
        return url.replaceAll("(://[^:/@]+:)[^@]*@", "$1***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ConnectionInfo[" + redact(jdbcUrl) + ", user=" + user + "]";
    }

    /** A data source without a pool over this connection, naming itself {@code applicationName}. */
    public org.postgresql.ds.PGSimpleDataSource unpooled(String applicationName) {
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setURL(jdbcUrl);
        if (user != null) {
            ds.setUser(user);
        }
        if (password != null) {
            ds.setPassword(password);
        }
        ds.setApplicationName(applicationName);
        return ds;
    }
}
