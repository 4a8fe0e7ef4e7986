package dev.lamplighter.admin.internal.ops;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Runs the checks' queries as the CLI always has: rows as column-to-value maps in column order,
 * SQL arrays as lists, jsonb as the driver gives it (its text is the database's). Not API.
 */
public final class OpsRows {

    private OpsRows() {
    }

    /** Runs {@code sql} with {@code :name} parameters on {@code h}. */
    public static List<Map<String, Object>> query(Handle h, String sql, Map<String, ?> params) {
        List<Map<String, Object>> rows = h.createQuery(sql).bindMap(params).mapToMap().list();
        for (Map<String, Object> row : rows) {
            for (Map.Entry<String, Object> e : row.entrySet()) {
                if (e.getValue() instanceof Array array) {
                    try {
                        e.setValue(Arrays.asList((Object[]) array.getArray()));
                    } catch (SQLException ex) {
                        throw new IllegalStateException("Cannot read the array column " + e.getKey() + ": " + ex.getMessage(), ex);
                    }
                }
            }
        }
        return rows;
    }

    /** A timestamp column (or its ISO-8601 text) as an instant; null stays null. */
    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp ts) {
            return ts.toInstant();
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof Instant i) {
            return i;
        }
        return Instant.parse(value.toString());
    }
}
