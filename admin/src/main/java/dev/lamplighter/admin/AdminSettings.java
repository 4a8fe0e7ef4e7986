package dev.lamplighter.admin;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of the admin HTTP server, validated when built. The server is off unless a port is
 * set; a port needs a token of at least {@value #MIN_TOKEN_LENGTH} characters.
 *
 * <table>
 * <caption>Settings, their environment variables, defaults and bounds</caption>
 * <tr><th>setting</th><th>environment</th><th>default</th><th>bounds</th></tr>
 * <tr><td>{@link #port()}</td><td>{@code LAMPLIGHTER_ADMIN_PORT}</td><td>unset: no server</td>
 *     <td>1 to 65535 (0, any free port, from code only)</td></tr>
 * <tr><td>{@link #bind()}</td><td>{@code LAMPLIGHTER_ADMIN_BIND}</td><td>{@value #DEFAULT_BIND}</td>
 *     <td>a host name or IP address of this machine</td></tr>
 * <tr><td>{@link #token()}</td><td>{@code LAMPLIGHTER_ADMIN_TOKEN}</td><td>none: required</td>
 *     <td>{@value #MIN_TOKEN_LENGTH} to {@value #MAX_TOKEN_LENGTH} printable ASCII characters</td></tr>
 * <tr><td>{@link #readToken()}</td><td>{@code LAMPLIGHTER_ADMIN_READ_TOKEN}</td><td>none: no read-only access</td>
 *     <td>as the token, and different from it</td></tr>
 * <tr><td>{@link #metricsNeedToken()}</td><td>{@code LAMPLIGHTER_ADMIN_METRICS_TOKEN}</td><td>true</td>
 *     <td>true or false</td></tr>
 * <tr><td>{@link #metricsCacheTtl()}</td><td>{@code LAMPLIGHTER_ADMIN_METRICS_CACHE}</td><td>5 s</td>
 *     <td>0 to 5 min</td></tr>
 * <tr><td>{@link #pollInterval()}</td><td>{@code LAMPLIGHTER_POLL_INTERVAL} (the node's)</td><td>60 s</td>
 *     <td>1 s to 1 h</td></tr>
 * </table>
 *
 * <p>{@link #toString()} never shows either token.
 *
 * @param port the TCP port; 0 binds any free port (see {@link LamplighterAdmin#port()})
 * @param bind the address to listen on
 * @param token the shared secret of {@code Authorization: Bearer} or {@code X-Internal-Token}
 * @param metricsNeedToken whether {@code /metrics} asks for the token as the API does
 * @param metricsCacheTtl how long one read of the tables serves {@code /metrics} scrapes
 * @param pollInterval the nodes' poll interval: {@code /health} wants a tick within three times this
 *     while schedules are due
 * @param readToken the read-only token, or null for none: it may {@code GET} the API and
 *     {@code /metrics}, and log in to the page to read it; every write answers 403
 */
public record AdminSettings(int port, String bind, String token, boolean metricsNeedToken, Duration metricsCacheTtl,
                            Duration pollInterval, String readToken) {

    /** Default {@link #bind()}: the loopback address only. */
    public static final String DEFAULT_BIND = "127.0.0.1";
    /** Shortest {@link #token()}. */
    public static final int MIN_TOKEN_LENGTH = 32;
    /** Longest {@link #token()}. */
    public static final int MAX_TOKEN_LENGTH = 512;
    /** Highest {@link #port()}. */
    public static final int MAX_PORT = 65535;
    /** Default {@link #metricsCacheTtl()}: 5 s. */
    public static final Duration DEFAULT_METRICS_CACHE_TTL = Duration.ofSeconds(5);
    /** Longest {@link #metricsCacheTtl()}: 5 min. */
    public static final Duration MAX_METRICS_CACHE_TTL = Duration.ofMinutes(5);
    /** Default {@link #pollInterval()}: 60 s, the node's default. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(60);
    /** Shortest {@link #pollInterval()}: 1 s. */
    public static final Duration MIN_POLL_INTERVAL = Duration.ofSeconds(1);
    /** Longest {@link #pollInterval()}: 1 h. */
    public static final Duration MAX_POLL_INTERVAL = Duration.ofHours(1);

    /** Environment variable of {@link #port()}. */
    public static final String ENV_PORT = "LAMPLIGHTER_ADMIN_PORT";
    /** Environment variable of {@link #bind()}. */
    public static final String ENV_BIND = "LAMPLIGHTER_ADMIN_BIND";
    /** Environment variable of {@link #token()}. */
    public static final String ENV_TOKEN = "LAMPLIGHTER_ADMIN_TOKEN";
    /** Environment variable of {@link #readToken()}. */
    public static final String ENV_READ_TOKEN = "LAMPLIGHTER_ADMIN_READ_TOKEN";
    /** Environment variable of {@link #metricsNeedToken()}. */
    public static final String ENV_METRICS_TOKEN = "LAMPLIGHTER_ADMIN_METRICS_TOKEN";
    /** Environment variable of {@link #metricsCacheTtl()}, in seconds. */
    public static final String ENV_METRICS_CACHE = "LAMPLIGHTER_ADMIN_METRICS_CACHE";

    /**
     * Checks every setting.
     *
     * @throws AdminSettingsException naming the setting, the value and what is allowed
     */
    public AdminSettings {
        if (port < 0 || port > MAX_PORT) {
            throw new AdminSettingsException(ENV_PORT + " = " + port + " is not allowed: expected 1 to " + MAX_PORT
                    + " (0, any free port, from code only)");
        }
        if (bind == null || bind.isBlank()) {
            throw new AdminSettingsException(ENV_BIND + " = \"" + (bind == null ? "" : bind)
                    + "\" is not allowed: expected a host name or IP address such as " + DEFAULT_BIND);
        }
        checkToken(ENV_TOKEN, token);
        if (readToken != null) {
            checkToken(ENV_READ_TOKEN, readToken);
            if (readToken.equals(token)) {
                throw new AdminSettingsException(ENV_READ_TOKEN + " is the same as " + ENV_TOKEN
                        + ": expected a token of its own (e.g. openssl rand -hex 32), or unset it for no read-only access");
            }
        }
        if (metricsCacheTtl == null || metricsCacheTtl.isNegative() || metricsCacheTtl.compareTo(MAX_METRICS_CACHE_TTL) > 0) {
            throw new AdminSettingsException(ENV_METRICS_CACHE + " = " + metricsCacheTtl
                    + " is not allowed: expected 0 to " + MAX_METRICS_CACHE_TTL.toSeconds() + " seconds");
        }
        if (pollInterval == null || pollInterval.compareTo(MIN_POLL_INTERVAL) < 0 || pollInterval.compareTo(MAX_POLL_INTERVAL) > 0) {
            throw new AdminSettingsException("pollInterval = " + pollInterval + " is not allowed: expected "
                    + MIN_POLL_INTERVAL.toSeconds() + " s to " + MAX_POLL_INTERVAL.toSeconds() + " s");
        }
    }

    /**
     * Checks a token's length and characters.
     *
     * @param setting the token's environment variable, for the message
     */
    private static void checkToken(String setting, String token) {
        if (token == null || token.isEmpty()) {
            throw new AdminSettingsException(setting + " is empty: the admin server needs a token of at least "
                    + MIN_TOKEN_LENGTH + " characters when " + ENV_PORT + " is set (e.g. openssl rand -hex 32)");
        }
        if (token.length() < MIN_TOKEN_LENGTH || token.length() > MAX_TOKEN_LENGTH) {
            throw new AdminSettingsException(setting + " has " + token.length() + " characters: expected "
                    + MIN_TOKEN_LENGTH + " to " + MAX_TOKEN_LENGTH + " (e.g. openssl rand -hex 32)");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new AdminSettingsException(setting + " has a character that is not printable ASCII at position "
                        + (i + 1) + ": expected letters, digits and punctuation only (no spaces)");
            }
        }
    }

    /**
     * The settings from {@code LAMPLIGHTER_ADMIN_*} environment variables, or empty when
     * {@code LAMPLIGHTER_ADMIN_PORT} is unset or blank (the server is off).
     *
     * @param env the environment, e.g. {@code System.getenv()}
     * @return the checked settings, or empty when the admin server is off
     * @throws AdminSettingsException naming the first bad setting
     */
    public static Optional<AdminSettings> fromEnvironment(Map<String, String> env) {
        String port = env.get(ENV_PORT);
        if (port == null || port.isBlank()) {
            return Optional.empty();
        }
        Builder b = builder();
        int value;
        try {
            value = Integer.parseInt(port.strip());
        } catch (NumberFormatException e) {
            throw new AdminSettingsException(ENV_PORT + " = \"" + port + "\" is not allowed: expected a whole number from 1 to "
                    + MAX_PORT, e);
        }
        if (value == 0) {
            throw new AdminSettingsException(ENV_PORT + " = 0 is not allowed: expected 1 to " + MAX_PORT
                    + " (unset it to turn the admin server off)");
        }
        b.port(value);
        String bind = env.get(ENV_BIND);
        if (bind != null) {
            b.bind(bind.strip());
        }
        b.token(env.get(ENV_TOKEN));
        String readToken = env.get(ENV_READ_TOKEN);
        if (readToken != null && !readToken.isEmpty()) {
            b.readToken(readToken);
        }
        String metricsToken = env.get(ENV_METRICS_TOKEN);
        if (metricsToken != null && !metricsToken.isBlank()) {
            String v = metricsToken.strip().toLowerCase(java.util.Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw new AdminSettingsException(ENV_METRICS_TOKEN + " = \"" + metricsToken
                        + "\" is not allowed: expected true or false");
            }
            b.metricsNeedToken(v.equals("true"));
        }
        String cache = env.get(ENV_METRICS_CACHE);
        if (cache != null && !cache.isBlank()) {
            try {
                b.metricsCacheTtl(Duration.ofSeconds(Long.parseLong(cache.strip())));
            } catch (NumberFormatException e) {
                throw new AdminSettingsException(ENV_METRICS_CACHE + " = \"" + cache
                        + "\" is not allowed: expected whole seconds from 0 to " + MAX_METRICS_CACHE_TTL.toSeconds(), e);
            }
        }
        return Optional.of(b.build());
    }

    /**
     * A builder with the defaults; {@link Builder#token(String)} must be set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The same settings, ready to change one.
     *
     * @return a builder with these values
     */
    public Builder toBuilder() {
        return new Builder().port(port).bind(bind).token(token).metricsNeedToken(metricsNeedToken)
                .metricsCacheTtl(metricsCacheTtl).pollInterval(pollInterval).readToken(readToken);
    }

    @Override
    public String toString() {
        return "AdminSettings[port=" + port + ", bind=" + bind + ", token=(" + token.length() + " characters)"
                + (readToken == null ? "" : ", readToken=(" + readToken.length() + " characters)")
                + ", metricsNeedToken=" + metricsNeedToken + ", metricsCacheTtl=" + metricsCacheTtl
                + ", pollInterval=" + pollInterval + "]";
    }

    /** Builds {@link AdminSettings}; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private int port;
        private String bind = DEFAULT_BIND;
        private String token;
        private boolean metricsNeedToken = true;
        private Duration metricsCacheTtl = DEFAULT_METRICS_CACHE_TTL;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private String readToken;

        private Builder() {
        }

        /**
         * The TCP port (default 0: any free port).
         *
         * @param port 0 to 65535
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * The address to listen on (default {@value AdminSettings#DEFAULT_BIND}).
         *
         * @param bind a host name or IP address
         * @return this builder
         */
        public Builder bind(String bind) {
            this.bind = bind;
            return this;
        }

        /**
         * The shared secret (required).
         *
         * @param token {@value AdminSettings#MIN_TOKEN_LENGTH} or more printable ASCII characters
         * @return this builder
         */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /**
         * The read-only token (default none): GETs of the API and {@code /metrics}, the page
         * without its buttons; every write answers 403.
         *
         * @param readToken as the token, and different from it; null for none
         * @return this builder
         */
        public Builder readToken(String readToken) {
            this.readToken = readToken;
            return this;
        }

        /**
         * Whether {@code /metrics} needs the token (default true).
         *
         * @param need false to let a scraper in without one
         * @return this builder
         */
        public Builder metricsNeedToken(boolean need) {
            this.metricsNeedToken = need;
            return this;
        }

        /**
         * How long one read of the tables serves {@code /metrics} (default 5 s).
         *
         * @param ttl 0 (every scrape reads) to 5 min
         * @return this builder
         */
        public Builder metricsCacheTtl(Duration ttl) {
            this.metricsCacheTtl = ttl;
            return this;
        }

        /**
         * The nodes' poll interval (default 60 s): {@code /health} wants a tick within three times
         * this while schedules are due.
         *
         * @param interval 1 s to 1 h
         * @return this builder
         */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = interval;
            return this;
        }

        /**
         * The checked settings.
         *
         * @return the settings
         * @throws AdminSettingsException naming the first bad setting
         */
        public AdminSettings build() {
            return new AdminSettings(port, bind, token, metricsNeedToken, metricsCacheTtl, pollInterval, readToken);
        }
    }
}
