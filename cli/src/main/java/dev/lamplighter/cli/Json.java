package dev.lamplighter.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postgresql.util.PGobject;

/**
 * Prints rows as a JSON array of objects ({@code --json}), for scripts: timestamps as ISO-8601
 * UTC, JSON columns (figures) as JSON, not as text.
 */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    static void print(PrintStream out, List<String> columns, List<Map<String, Object>> rows, Set<String> jsonColumns) {
        printValue(out, rows(columns, rows, jsonColumns));
    }

    /** The rows as JSON-ready objects with the given columns, in order. */
    static List<Map<String, Object>> rows(List<String> columns, List<Map<String, Object>> rows, Set<String> jsonColumns) {
        return rows.stream().map(row -> {
            Map<String, Object> object = new LinkedHashMap<>();
            for (String column : columns) {
                object.put(column, value(row.get(column), jsonColumns.contains(column)));
            }
            return object;
        }).toList();
    }

    /** One row as a JSON-ready object: every column, timestamps, arrays and jsonb converted. */
    static Map<String, Object> row(Map<String, Object> row) {
        Map<String, Object> object = new LinkedHashMap<>();
        row.forEach((k, v) -> object.put(k, value(v, false)));
        return object;
    }

    /** Prints any value (maps, lists, records of plain values) as indented JSON. */
    static void printValue(PrintStream out, Object value) {
        try {
            out.println(MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the result as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Object value(Object value, boolean json) {
        if (value instanceof Timestamp ts) {
            return ts.toInstant().toString();
        }
        if (value instanceof PGobject pg && pg.getValue() != null
                && ("json".equals(pg.getType()) || "jsonb".equals(pg.getType()))) {
            return parse(pg.getValue());
        }
        if (value instanceof java.sql.Array array) {
            try {
                Object[] items = (Object[]) array.getArray();
                return Arrays.asList(items);
            } catch (SQLException e) {
                return value.toString();
            }
        }
        if (json && value != null) {
            return parse(value.toString());
        }
        return value;
    }

    private static Object parse(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            return node;
        } catch (JsonProcessingException e) {
            return text;
        }
    }
}
