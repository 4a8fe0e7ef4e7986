package dev.lamplighter.cli.db;

import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.internal.config.EnvironmentConfig;
import dev.lamplighter.worker.internal.db.ConnectionInfo;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the {@code lamplighter} command reads from its environment: the node's settings
 * ({@link LamplighterConfig#fromEnvironment(Map)}) and where the database is, which is the CLI's
 * business, not the library's (an embedding service gives the node its own DataSource).
 *
 * @param node         the node's settings ({@code LAMPLIGHTER_POLL_INTERVAL}, ...)
 * @param databaseUrl  {@code LAMPLIGHTER_DATABASE_URL}; empty means the embedded PostgreSQL
 * @param dataDirectory {@code LAMPLIGHTER_DATA_DIR}: the embedded server's data, kept between runs
 * @param embeddedPort {@code LAMPLIGHTER_EMBEDDED_PORT}: the embedded server's port if free (0: any)
 * @param poolSize     {@code LAMPLIGHTER_POOL_SIZE}: connections in the pool the CLI builds
 */
public record CliSettings(LamplighterConfig node, Optional<String> databaseUrl, Path dataDirectory,
                          int embeddedPort, int poolSize) {

    /** Default {@code LAMPLIGHTER_EMBEDDED_PORT}. */
    public static final int DEFAULT_EMBEDDED_PORT = 54329;
    /** Default {@code LAMPLIGHTER_POOL_SIZE}. */
    public static final int DEFAULT_POOL_SIZE = 10;
    /** Fewest {@code LAMPLIGHTER_POOL_SIZE}: the LISTEN connection, a loop and a worker. */
    public static final int MIN_POOL_SIZE = 3;
    /** Most {@code LAMPLIGHTER_POOL_SIZE}. */
    public static final int MAX_POOL_SIZE = 200;

    /** Checks the bounds; a value out of them names the setting, the value and what is allowed. */
    public CliSettings {
        java.util.Objects.requireNonNull(node, "node");
        java.util.Objects.requireNonNull(dataDirectory, "dataDirectory (LAMPLIGHTER_DATA_DIR)");
        within("poolSize (LAMPLIGHTER_POOL_SIZE)", poolSize, MIN_POOL_SIZE, MAX_POOL_SIZE);
        within("embeddedPort (LAMPLIGHTER_EMBEDDED_PORT)", embeddedPort, 0, 65535);
    }

    /** The default embedded data directory, {@code ~/.lamplighter/pg}. */
    public static Path defaultDataDirectory() {
        return Path.of(System.getProperty("user.home"), ".lamplighter", "pg");
    }

    /** Reads every {@code LAMPLIGHTER_*} variable the CLI knows; unset or blank keeps the default. */
    public static CliSettings fromEnvironment(Map<String, String> env) {
        LamplighterConfig node = EnvironmentConfig.fromEnvironment(env).build();
        String[] url = {null};
        Path[] dir = {defaultDataDirectory()};
        int[] port = {DEFAULT_EMBEDDED_PORT};
        int[] pool = {DEFAULT_POOL_SIZE};
        EnvironmentConfig.text(env, "LAMPLIGHTER_DATABASE_URL", v -> url[0] = v);
        EnvironmentConfig.text(env, "LAMPLIGHTER_DATA_DIR", v -> dir[0] = Path.of(v));
        EnvironmentConfig.integer(env, "LAMPLIGHTER_EMBEDDED_PORT", v -> port[0] = v);
        EnvironmentConfig.integer(env, "LAMPLIGHTER_POOL_SIZE", v -> pool[0] = v);
        return new CliSettings(node, Optional.ofNullable(url[0]), dir[0], port[0], pool[0]);
    }

    /** The same settings over other node settings. */
    public CliSettings withNode(LamplighterConfig other) {
        return new CliSettings(other, databaseUrl, dataDirectory, embeddedPort, poolSize);
    }

    @Override
    public String toString() {
        return "database=" + databaseUrl.map(ConnectionInfo::redact).orElse("embedded(" + dataDirectory + ")")
                + ", poolSize=" + poolSize + ", " + node;
    }

    private static void within(String setting, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(setting + " = " + value + " is not allowed: expected from " + min + " to " + max);
        }
    }
}
