package dev.lamplighter.admin.internal;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Maps a row to an ordered map that Jackson writes as the API's JSON: timestamps as ISO-8601
 * instants, json/jsonb columns as JSON (not strings), arrays as lists. Not API.
 */
final class Rows implements RowMapper<Map<String, Object>> {

    static final Rows JSON = new Rows();

    private Rows() {
    }

    @Override
    public Map<String, Object> map(ResultSet rs, StatementContext ctx) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            row.put(md.getColumnLabel(i), value(rs, i, md.getColumnTypeName(i)));
        }
        return row;
    }

    private static Object value(ResultSet rs, int i, String type) throws SQLException {
        switch (type) {
            case "timestamptz", "timestamp" -> {
                OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                return t == null ? null : t.toInstant();
            }
            case "json", "jsonb" -> {
                return Json.read(rs.getString(i));
            }
            default -> {
                Object v = rs.getObject(i);
                if (v instanceof Array a) {
                    List<Object> list = Arrays.asList((Object[]) a.getArray());
                    a.free();
                    return list;
                }
                return v;
            }
        }
    }
}
