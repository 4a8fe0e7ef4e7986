package dev.lamplighter.worker.internal.poll;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;

/**
 * The savepoint of one check in a chunk, set only when the check first uses the connection. A
 * launcher that decides from what it already knows (and a check that fails before asking it) costs
 * no round trip; the first call a launcher makes on {@link #connection()} sets the savepoint
 * before it runs, so whatever that check does to the database can be rolled back alone.
 * Not thread-safe: one check, one thread.
 */
final class LazySavepoint {

    private final Connection real;
    private final Connection guarded;
    private Savepoint savepoint;

    LazySavepoint(Connection real) {
        this.real = real;
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "LazySavepoint(" + real + ")";
                };
            }
            set();
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        this.guarded = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
    }

    /** The connection the check may use; its first use sets the savepoint. */
    Connection connection() {
        return guarded;
    }

    private void set() throws SQLException {
        if (savepoint == null) {
            savepoint = real.setSavepoint();
        }
    }

    /** Ends a check that succeeded: releases the savepoint, if one was set. */
    void release() throws SQLException {
        if (savepoint != null) {
            // Kept if this fails (the check ended the transaction), so that rollback() fails too.
            real.releaseSavepoint(savepoint);
            savepoint = null;
        }
    }

    /**
     * Ends a check that failed: rolls back to the savepoint, if one was set.
     *
     * @throws SQLException if the transaction cannot go back to it (the check ended it): the chunk fails
     */
    void rollback() throws SQLException {
        if (savepoint != null) {
            real.rollback(savepoint);
            real.releaseSavepoint(savepoint);
            savepoint = null;
        }
    }
}
