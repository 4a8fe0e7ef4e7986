package dev.lamplighter.conditions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;

/** The few JDBC moves the built-in conditions share. */
final class Jdbc {

    private Jdbc() {
    }

    interface Work<T> {
        T run() throws Exception;
    }

    static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    /** Runs work in a savepoint; rolls back to it when work throws or {@code keep} says no. */
    static <T> T inSavepoint(Connection c, Work<T> work, java.util.function.Predicate<T> keep) throws Exception {
        Savepoint sp = c.setSavepoint();
        T result;
        try {
            result = work.run();
        } catch (Exception e) {
            c.rollback(sp);
            throw e;
        }
        if (keep.test(result)) {
            c.releaseSavepoint(sp);
        } else {
            c.rollback(sp);
        }
        return result;
    }
}
