package dev.lamplighter.conditions;

import dev.lamplighter.Decision;
import dev.lamplighter.LaunchContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** See {@link Conditions#sql}. */
final class SqlCondition implements Condition {

    private final String query;
    private final int maxRows;
    private final Duration timeout;

    SqlCondition(String query, int maxRows, Duration timeout) {
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("query is empty: expected a SELECT that returns the work");
        }
        if (maxRows < 0 || maxRows > 10_000) {
            throw new IllegalArgumentException("max_rows = " + maxRows + " is not allowed: expected 0 to 10000");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("timeout = " + timeout + " is not allowed: expected from 1ms to 10m");
        }
        this.query = query.strip().replaceAll(";\\s*$", "");
        this.maxRows = maxRows;
        this.timeout = timeout;
    }

    @Override
    public Decision evaluate(LaunchContext ctx) throws Exception {
        Connection c = ctx.connection();
        Savepoint sp = c.setSavepoint();
        List<Map<String, Object>> rows = new ArrayList<>();
        int count = 0;
        Boolean verdict = null;
        long started = System.nanoTime();
        try (Statement s = c.createStatement()) {
            // Both settings end with the savepoint: the rest of the decision's transaction may write.
            s.execute("SET LOCAL transaction_read_only = on");
            s.execute("SET LOCAL statement_timeout = " + Math.max(1, timeout.toMillis()));
            try (ResultSet rs = s.executeQuery(query)) {
                ResultSetMetaData md = rs.getMetaData();
                boolean single = md.getColumnCount() == 1
                        && (md.getColumnType(1) == Types.BOOLEAN || md.getColumnType(1) == Types.BIT);
                while (rs.next()) {
                    count++;
                    if (single && count == 1) {
                        verdict = rs.getBoolean(1);
                    } else if (rows.size() < maxRows) {
                        rows.add(row(rs, md));
                    }
                }
            }
        } catch (SQLException e) {
            c.rollback(sp);
            throw new SQLException("SQL condition failed: " + e.getMessage() + " (query: " + abbreviate(query) + ")",
                    e.getSQLState(), e);
        }
        c.rollback(sp);
        double ms = Math.round((System.nanoTime() - started) / 10_000.0) / 100.0;
        if (verdict != null) {
            Map<String, Object> figures = Map.of("work", verdict, "query_ms", ms);
            return verdict ? Decision.launch("SQL condition is true").withFigures(figures)
                    : Decision.skip("SQL condition is false").withFigures(figures);
        }
        Map<String, Object> figures = Map.of("rows", count, "query_ms", ms);
        if (count == 0) {
            return Decision.skip("SQL condition found no rows").withFigures(figures);
        }
        return Decision.launch(Map.of("rows", rows, "row_count", count),
                "SQL condition found " + count + (count == 1 ? " row" : " rows")).withFigures(figures);
    }

    private static Map<String, Object> row(ResultSet rs, ResultSetMetaData md) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            Object v = rs.getObject(i);
            row.put(md.getColumnLabel(i), v == null || v instanceof Number || v instanceof Boolean || v instanceof String
                    ? v : String.valueOf(v));
        }
        return row;
    }

    private static String abbreviate(String s) {
        String flat = s.replaceAll("\\s+", " ");
        return flat.length() > 120 ? flat.substring(0, 119) + "…" : flat;
    }
}
