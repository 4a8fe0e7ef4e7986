package dev.lamplighter.worker.internal.db;

import dev.lamplighter.LamplighterException;
import java.net.URI;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** The database did not let us in: refused, unknown host, wrong password, no such role or database. */
public final class DatabaseConnectException extends LamplighterException {

    private static final long serialVersionUID = 1L;
    private static final Pattern USER_PARAM = Pattern.compile("[?&]user=([^&]*)");

    public DatabaseConnectException(ConnectionInfo info, SQLException cause) {
        this(info, cause, "");
    }

    /** As above, with {@code hint} (what to do) after the server's message. */
    public DatabaseConnectException(ConnectionInfo info, SQLException cause, String hint) {
        super("cannot connect to " + where(info) + ": " + serverMessage(cause) + hint, cause);
    }

    /** host:port/database as user 'x', from the JDBC URL (no password). */
    static String where(ConnectionInfo info) {
        String url = info.jdbcUrl();
        String user = info.user();
        if (user == null) {
            Matcher m = USER_PARAM.matcher(url);
            user = m.find() ? m.group(1) : System.getProperty("user.name");
        }
        String target = url;
        try {
            URI uri = URI.create(url.substring("jdbc:".length()));
            target = uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 5432) + uri.getPath();
        } catch (RuntimeException e) {
            target = ConnectionInfo.redact(url);
        }
        return target + " as user '" + user + "'";
    }

    private static String serverMessage(SQLException e) {
        if (e instanceof PSQLException p) {
            ServerErrorMessage server = p.getServerErrorMessage();
            if (server != null && server.getMessage() != null) {
                return server.getSeverity() + ": " + server.getMessage();
            }
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    /** The first SQLException in {@code e}'s causes, or null. */
    static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }
}
