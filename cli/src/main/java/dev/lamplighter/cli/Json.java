package dev.lamplighter.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prints rows as a JSON array of objects ({@code --json}), for scripts: timestamps as ISO-8601
 * UTC, JSON columns (figures) as JSON, not as text.
 */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    static void print(PrintStream out, List<String> columns, List<Map<String, Object>> rows, Set<String> jsonColumns) {
        List<Map<String, Object>> objects = rows.stream().map(row -> {
            Map<String, Object> object = new LinkedHashMap<>();
            for (String column : columns) {
                object.put(column, value(row.get(column), jsonColumns.contains(column)));
            }
            return object;
        }).toList();
        try {
            out.println(MAPPER.writeValueAsString(objects));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the rows as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Object value(Object value, boolean json) {
        if (value instanceof Timestamp ts) {
            return ts.toInstant().toString();
        }
        if (json && value != null) {
            try {
                JsonNode node = MAPPER.readTree(value.toString());
                return node;
            } catch (JsonProcessingException e) {
                return value.toString();
            }
        }
        return value;
    }
}
