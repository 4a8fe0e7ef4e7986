package dev.lamplighter.admin;

import dev.lamplighter.admin.internal.AdminServer;
import dev.lamplighter.worker.Lamplighter;
import java.time.Clock;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The admin HTTP server: the JSON API under {@code /api}, {@code /health}, {@code /metrics} and the
 * operator's page at {@code /}. Every path but {@code /health} needs the token
 * ({@code Authorization: Bearer <token>} or {@code X-Internal-Token: <token>}); the page asks for it
 * once at its login form and then keeps a session (an HttpOnly, SameSite=Strict cookie, a CSRF
 * token in every form).
 *
 * <pre>{@code
 * try (LamplighterAdmin admin = LamplighterAdmin.builder(dataSource)
 *         .token(System.getenv("LAMPLIGHTER_ADMIN_TOKEN"))
 *         .port(9464)
 *         .node(lamplighter)          // optional: /health then includes the node's own health
 *         .start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>It reads and writes the {@code lamplighter} schema through the given DataSource, so it can
 * run beside a node or on its own. Thread-safe; {@link #close()} is idempotent.
 */
public final class LamplighterAdmin implements AutoCloseable {

    private final AdminServer server;
    private final AdminSettings settings;

    private LamplighterAdmin(AdminServer server, AdminSettings settings) {
        this.server = server;
        this.settings = settings;
    }

    /**
     * A builder for an admin server over {@code dataSource}.
     *
     * @param dataSource the database with the {@code lamplighter} schema (migrated, V11 or later)
     * @return a builder; {@link Builder#token(String)} is required
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * The port the server listens on: the configured one, or the one chosen for port 0.
     *
     * @return the bound TCP port
     */
    public int port() {
        return server.port();
    }

    /**
     * The settings the server runs with.
     *
     * @return the checked settings
     */
    public AdminSettings settings() {
        return settings;
    }

    /** Stops the server. Requests in flight are finished; calling it again does nothing. */
    @Override
    public void close() {
        server.stop();
    }

    /** Builds and starts a {@link LamplighterAdmin}. Not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private AdminSettings.Builder settings = AdminSettings.builder();
        private Lamplighter node;
        private Clock clock;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * All settings at once (e.g. from {@link AdminSettings#fromEnvironment(java.util.Map)}).
         *
         * @param settings checked settings
         * @return this builder
         */
        public Builder settings(AdminSettings settings) {
            this.settings = settings.toBuilder();
            return this;
        }

        /**
         * The shared secret (required, {@value AdminSettings#MIN_TOKEN_LENGTH} characters or more).
         *
         * @param token the token callers send
         * @return this builder
         */
        public Builder token(String token) {
            settings.token(token);
            return this;
        }

        /**
         * The read-only token (default none): it may {@code GET} the API and {@code /metrics}, and
         * log in to the page, which then shows no buttons; every write answers 403 with the
         * missing permission.
         *
         * @param readToken {@value AdminSettings#MIN_TOKEN_LENGTH} or more printable ASCII
         *     characters, not the token; null for none
         * @return this builder
         */
        public Builder readToken(String readToken) {
            settings.readToken(readToken);
            return this;
        }

        /**
         * The TCP port (default 0: any free port, read it back with {@link LamplighterAdmin#port()}).
         *
         * @param port 0 to 65535
         * @return this builder
         */
        public Builder port(int port) {
            settings.port(port);
            return this;
        }

        /**
         * The address to listen on (default {@value AdminSettings#DEFAULT_BIND}).
         *
         * @param bind a host name or IP address of this machine
         * @return this builder
         */
        public Builder bind(String bind) {
            settings.bind(bind);
            return this;
        }

        /**
         * Whether {@code /metrics} needs the token (default true).
         *
         * @param need false to let a scraper in without one
         * @return this builder
         */
        public Builder metricsNeedToken(boolean need) {
            settings.metricsNeedToken(need);
            return this;
        }

        /**
         * How long one read of the tables serves {@code /metrics} (default 5 s).
         *
         * @param ttl 0 to 5 min
         * @return this builder
         */
        public Builder metricsCacheTtl(java.time.Duration ttl) {
            settings.metricsCacheTtl(ttl);
            return this;
        }

        /**
         * The nodes' poll interval (default 60 s): {@code /health} wants a tick within three
         * times this while schedules are due.
         *
         * @param interval the nodes' {@code LamplighterConfig.pollInterval()}
         * @return this builder
         */
        public Builder pollInterval(java.time.Duration interval) {
            settings.pollInterval(interval);
            return this;
        }

        /**
         * The node running in this process, if any: {@code /health} adds its own health
         * ({@link Lamplighter#health()}) to what the tables say.
         *
         * @param node a node over the same database
         * @return this builder
         */
        public Builder node(Lamplighter node) {
            this.node = node;
            return this;
        }

        /**
         * The clock for "now" (default: the database's clock; tests pass their own, as the node does).
         *
         * @param clock the clock every statement binds as {@code :now}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Checks the settings and starts listening.
         *
         * @return the running server
         * @throws AdminSettingsException if a setting is missing or not allowed (nothing is started)
         * @throws dev.lamplighter.LamplighterException if the port cannot be bound
         */
        public LamplighterAdmin start() {
            AdminSettings checked = settings.build();
            AdminServer server = AdminServer.start(dataSource, checked, node, clock);
            return new LamplighterAdmin(server, checked);
        }
    }
}
