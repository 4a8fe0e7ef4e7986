package dev.lamplighter.worker.internal.singleton;

import dev.lamplighter.internal.SqlFiles;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Every statement on {@code lamplighter.singletons}, one method each, for one node. Each runs on
 * its own in autocommit: no session state, so it works behind PgBouncer in transaction mode.
 * Thread-safe.
 */
public final class SingletonStore {

    private static final String ACQUIRE = SqlFiles.load("singletons/acquire");
    private static final String RENEW = SqlFiles.load("singletons/renew");
    private static final String RELEASE = SqlFiles.load("singletons/release");
    private static final String VERIFY = SqlFiles.load("singletons/verify");
    private static final String VERIFY_LOCKED = SqlFiles.load("singletons/verify_locked");
    private static final java.util.regex.Pattern NAMED = java.util.regex.Pattern.compile("(?<!:):([A-Za-z][A-Za-z0-9_]*)");
    private static final String RECORD_FAILURE = SqlFiles.load("singletons/record_failure");

    private final Jdbi jdbi;
    private final String nodeId;
    private final Clock clock;

    /** @param clock null means the database's clock */
    public SingletonStore(Jdbi jdbi, String nodeId, Clock clock) {
        this.jdbi = jdbi;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    /** Who holds a singleton as the database sees it now. */
    public record Holder(String owner, long token, Instant leaseUntil, boolean leaseValid, Instant databaseNow) {
    }

    public String nodeId() {
        return nodeId;
    }

    /** Takes the singleton if free, expired or already this node's; the new fencing token, or empty. */
    public Optional<Long> acquire(String name, Duration lease) {
        return jdbi.withHandle(h -> h.createQuery(ACQUIRE).bind("name", name).bind("nodeId", nodeId)
                .bind("leaseMs", lease.toMillis()).bind("now", now())
                .map((rs, ctx) -> rs.getLong("token")).findOne());
    }

    /** Extends the lease held under {@code token}; false when it is lost. */
    public boolean renew(String name, long token, Duration lease) {
        return jdbi.withHandle(h -> h.createQuery(RENEW).bind("name", name).bind("nodeId", nodeId).bind("token", token)
                .bind("leaseMs", lease.toMillis()).bind("now", now())
                .mapTo(java.sql.Timestamp.class).findOne().isPresent());
    }

    /** Gives the singleton up (and tells the other nodes); false when this node no longer held it. */
    public boolean release(String name, long token) {
        return jdbi.withHandle(h -> h.createQuery(RELEASE).bind("name", name).bind("nodeId", nodeId).bind("token", token)
                .bind("now", now()).map((rs, ctx) -> rs.getString("name")).findOne().isPresent());
    }

    /** The holder now, or empty when the singleton has no row yet. */
    public Optional<Holder> holder(String name) {
        return jdbi.withHandle(h -> h.createQuery(VERIFY).bind("name", name).bind("now", now())
                .map((rs, ctx) -> new Holder(rs.getString("owner"), rs.getLong("token"),
                        rs.getTimestamp("lease_until") == null ? null : rs.getTimestamp("lease_until").toInstant(),
                        rs.getBoolean("lease_valid"), rs.getTimestamp("db_now").toInstant()))
                .findOne());
    }

    /**
     * The holder now, read on the application's {@code connection} inside its transaction with the
     * row held {@code FOR SHARE} until that transaction ends; empty when the singleton has no row.
     * The connection is the application's: it is neither committed nor closed here.
     */
    public Optional<Holder> holderLocked(java.sql.Connection connection, String name) throws java.sql.SQLException {
        java.util.List<String> names = new java.util.ArrayList<>();
        java.util.regex.Matcher m = NAMED.matcher(VERIFY_LOCKED);
        StringBuilder positional = new StringBuilder();
        while (m.find()) {
            names.add(m.group(1));
            m.appendReplacement(positional, "?");
        }
        m.appendTail(positional);
        try (java.sql.PreparedStatement ps = connection.prepareStatement(positional.toString())) {
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equals("name")) {
                    ps.setString(i + 1, name);
                } else if (now() == null) {
                    ps.setNull(i + 1, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                    ps.setObject(i + 1, java.time.OffsetDateTime.ofInstant(now(), java.time.ZoneOffset.UTC));
                }
            }
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                java.sql.Timestamp until = rs.getTimestamp("lease_until");
                return Optional.of(new Holder(rs.getString("owner"), rs.getLong("token"),
                        until == null ? null : until.toInstant(), rs.getBoolean("lease_valid"),
                        rs.getTimestamp("db_now").toInstant()));
            }
        }
    }

    /** Counts a failure of the service and keeps its error, on the row held under {@code token}. */
    public void recordFailure(String name, long token, String error) {
        jdbi.useHandle(h -> h.createUpdate(RECORD_FAILURE).bind("name", name).bind("nodeId", nodeId).bind("token", token)
                .bind("error", error).bind("now", now()).execute());
    }

    private Instant now() {
        return clock == null ? null : clock.instant();
    }
}
