package dev.lamplighter.chaos.restart;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The statements the fault programs run to count what happened, one per {@code -- name:} section
 * of {@code queries.sql} next to this class, loaded once: a missing name fails at start-up.
 */
final class Queries {

    private static final Map<String, String> STATEMENTS = load();

    private Queries() {
    }

    /** Jdbi over plain connections to the database (a new one per handle, so it works again after a restart). */
    static org.jdbi.v3.core.Jdbi jdbi(String jdbcUrl, String user, String password) {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("ApplicationName", "chaos-driver");
        org.jdbi.v3.core.Jdbi jdbi = org.jdbi.v3.core.Jdbi.create(jdbcUrl, props);
        jdbi.getConfig(org.jdbi.v3.core.statement.SqlStatements.class).setUnusedBindingAllowed(true);
        return jdbi;
    }

    static String get(String name) {
        String sql = STATEMENTS.get(name);
        if (sql == null) {
            throw new IllegalArgumentException("queries.sql has no section \"-- name: " + name + "\"; it has "
                    + STATEMENTS.keySet());
        }
        return sql;
    }

    private static Map<String, String> load() {
        try (InputStream in = Queries.class.getResourceAsStream("queries.sql")) {
            if (in == null) {
                throw new IllegalStateException("dev/lamplighter/chaos/restart/queries.sql is not on the classpath");
            }
            Map<String, String> out = new LinkedHashMap<>();
            String name = null;
            StringBuilder body = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("-- name:")) {
                    if (name != null) {
                        out.put(name, body.toString().strip());
                    }
                    name = line.substring("-- name:".length()).strip();
                    body.setLength(0);
                } else if (name != null && !line.startsWith("--")) {
                    body.append(line).append('\n');
                }
            }
            if (name != null) {
                out.put(name, body.toString().strip());
            }
            return Map.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
