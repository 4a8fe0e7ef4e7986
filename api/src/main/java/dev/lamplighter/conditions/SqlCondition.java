package dev.lamplighter.conditions;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamplighter.Decision;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.internal.SqlFiles;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * See {@link Conditions#sql}. The query runs in a savepoint, read-only, with a statement timeout,
 * after {@code SET LOCAL ROLE} to the condition role, through {@code lamplighter.run_condition}: a
 * SECURITY DEFINER function owned by that role, inside which PostgreSQL refuses any change of role.
 * So whoever writes the query gets the condition role's privileges, never the node's.
 */
final class SqlCondition implements Condition {

    private static final String ROLE_CHECK = SqlFiles.load("conditions/sql_condition_role");
    private static final String ENTER = SqlFiles.load("conditions/sql_condition_enter");
    private static final String RUN = SqlFiles.load("conditions/sql_condition_run");
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.USE_LONG_FOR_INTS);
    private static final TypeReference<LinkedHashMap<String, Object>> ROW = new TypeReference<>() { };

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
        String role = ctx.conditionRole();
        Savepoint sp = c.setSavepoint();
        List<Map<String, Object>> rows = new ArrayList<>();
        int count = 0;
        Boolean verdict = null;
        long started = System.nanoTime();
        try {
            requireUsableRole(c, role);
            enter(c, role);
            try (PreparedStatement ps = Jdbc.prepare(c, RUN, query); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    count++;
                    Map<String, Object> row = JSON.readValue(rs.getString(1), ROW);
                    if (count == 1 && row.size() == 1 && row.values().iterator().next() instanceof Boolean b) {
                        verdict = b;
                    } else if (verdict == null && rows.size() < maxRows) {
                        rows.add(row);
                    }
                }
            }
        } catch (SQLException e) {
            c.rollback(sp);
            throw new SQLException("SQL condition failed: " + withoutRunnerContext(e.getMessage())
                    + " (query: " + abbreviate(query) + ")", e.getSQLState(), e);
        } catch (Exception e) {
            c.rollback(sp);
            throw e;
        }
        // Undoes SET LOCAL role, read-only and timeout: the rest of the decision's transaction may write.
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

    /** Refuses, with what to run, a role the query must not or cannot run under. */
    private static void requireUsableRole(Connection c, String role) throws SQLException {
        try (PreparedStatement ps = Jdbc.prepare(c, ROLE_CHECK, role); ResultSet rs = ps.executeQuery()) {
            rs.next();
            String node = rs.getString("node_role");
            String setup = "as a superuser run CALL lamplighter.setup_condition_role('" + role + "', '" + node + "')";
            if (!rs.getBoolean("role_exists")) {
                throw new ConditionRoleException("condition role \"" + role + "\" (LAMPLIGHTER_CONDITION_ROLE) does not exist:"
                        + " SQL conditions run only under it, never as the node's role \"" + node + "\"; " + setup
                        + " (creates it NOLOGIN with USAGE on schema lamplighter and lets \"" + node + "\" SET ROLE to it),"
                        + " then GRANT SELECT ON <table> TO " + role + " for each table conditions read");
            }
            if (rs.getBoolean("role_too_powerful")) {
                throw new ConditionRoleException("condition role \"" + role + "\" (LAMPLIGHTER_CONDITION_ROLE) is not allowed:"
                        + " it is a superuser, bypasses row security, or has pg_read_server_files, pg_write_server_files,"
                        + " pg_execute_server_program or pg_signal_backend; expected a role with SELECT on what conditions"
                        + " read and nothing more");
            }
            String owner = rs.getString("runner_owner");
            if (owner == null) {
                throw new ConditionRoleException("function lamplighter.run_condition(text) does not exist: the lamplighter"
                        + " schema is older than version 6; migrate it (LAMPLIGHTER_MIGRATE=true or ./lamplighter migrate)");
            }
            if (!owner.equals(role)) {
                throw new ConditionRoleException("function lamplighter.run_condition(text) is owned by \"" + owner
                        + "\", not by the condition role \"" + role + "\" (LAMPLIGHTER_CONDITION_ROLE), so a query would run"
                        + " with \"" + owner + "\"'s privileges; " + setup);
            }
        }
    }

    private void enter(Connection c, String role) throws SQLException {
        try (PreparedStatement ps = Jdbc.prepare(c, ENTER, String.valueOf(Math.max(1, timeout.toMillis())), role)) {
            ps.execute();
        } catch (SQLException e) {
            if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                throw e;
            }
            String node = c.getMetaData().getUserName();
            throw new ConditionRoleException("node role \"" + node + "\" may not SET ROLE to the condition role \"" + role
                    + "\" (LAMPLIGHTER_CONDITION_ROLE): as a superuser run CALL lamplighter.setup_condition_role('" + role
                    + "', '" + node + "') or GRANT " + role + " TO " + node + " WITH INHERIT FALSE, SET TRUE");
        }
    }

    /** PostgreSQL's error (with its detail and hint) without the "Where:" trace through lamplighter.run_condition. */
    private static String withoutRunnerContext(String message) {
        return message == null ? "" : message.replaceAll("(?s)\\s*Where: .*$", "").strip();
    }

    private static String abbreviate(String s) {
        String flat = s.replaceAll("\\s+", " ");
        return flat.length() > 120 ? flat.substring(0, 119) + "…" : flat;
    }
}
