package dev.lamplighter.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The statements of {@code queue-benchmark.sql}, one per {@code -- name:} section, loaded once:
 * a missing name fails at start-up, not half-way through a run.
 */
final class BenchSql {

    private static final Map<String, String> STATEMENTS = load();

    private BenchSql() {
    }

    static String get(String name) {
        String sql = STATEMENTS.get(name);
        if (sql == null) {
            throw new IllegalArgumentException("queue-benchmark.sql has no section \"-- name: " + name + "\"; it has " + STATEMENTS.keySet());
        }
        return sql;
    }

    private static Map<String, String> load() {
        try (InputStream in = BenchSql.class.getResourceAsStream("queue-benchmark.sql")) {
            if (in == null) {
                throw new IllegalStateException("dev/lamplighter/bench/queue-benchmark.sql is not on the classpath");
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
