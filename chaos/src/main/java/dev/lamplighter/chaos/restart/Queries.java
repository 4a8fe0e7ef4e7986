package dev.lamplighter.chaos.restart;

import org.jdbi.v3.core.locator.ClasspathSqlLocator;

/**
 * The statements the database-restart and connection-loss programs run to set up and to count
 * what happened, one file each under {@code dev/lamplighter/chaos/restart/Queries/} (Jdbi named
 * parameters), read once and cached by Jdbi's locator.
 */
final class Queries {

    private Queries() {
    }

    /** Jdbi over plain connections to the database (a new one per handle, so it works again after a restart). */
    static org.jdbi.v3.core.Jdbi jdbi(String jdbcUrl, String user, String password) {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("ApplicationName", "chaos-driver");
        org.jdbi.v3.core.Jdbi jdbi = org.jdbi.v3.core.Jdbi.create(jdbcUrl, props);
        jdbi.getConfig(org.jdbi.v3.core.statement.SqlStatements.class).setUnusedBindingAllowed(true);
        return jdbi;
    }

    static String get(String name) {
        return ClasspathSqlLocator.removingComments().locate(Queries.class, name);
    }
}
