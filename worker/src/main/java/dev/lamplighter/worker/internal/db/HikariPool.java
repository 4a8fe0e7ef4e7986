package dev.lamplighter.worker.internal.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;

/**
 * The pool Lamplighter builds when it is given a URL rather than a DataSource. The only class that
 * touches HikariCP, which is an optional dependency of the worker: a node on the application's own
 * DataSource never loads it.
 */
final class HikariPool {

    private HikariPool() {
    }

    static HikariDataSource create(ConnectionInfo info, int poolSize, String poolName) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(info.jdbcUrl());
        if (info.user() != null) {
            config.setUsername(info.user());
        }
        if (info.password() != null) {
            config.setPassword(info.password());
        }
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setPoolName(poolName);
        config.setConnectionTimeout(10_000);
        config.addDataSourceProperty("ApplicationName", "lamplighter");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.setInitializationFailTimeout(1);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            SQLException cause = DatabaseConnectException.sqlCause(e);
            if (cause == null) {
                throw e;
            }
            throw new DatabaseConnectException(info, cause);
        }
    }
}
