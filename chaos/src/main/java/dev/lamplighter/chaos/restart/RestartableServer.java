package dev.lamplighter.chaos.restart;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An embedded PostgreSQL that can be stopped and started again on the same data directory and
 * port, as an operator restarts a server: {@link #stop()} is {@code pg_ctl stop -m fast} (every
 * session is terminated), {@link #start()} starts the same cluster again, with the rows it had.
 *
 * <p>The library's {@code close()} keeps the data directory when it was built with
 * {@code setCleanDataDirectory(false)}; {@link #stop()} checks that it did. The server runs without
 * fsync (the library's setting), which a fast stop does not need: it writes a shutdown checkpoint.
 * Not thread-safe: one thread drives it.
 */
public final class RestartableServer implements AutoCloseable {

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    private RestartableServer(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /**
     * Creates the cluster in {@code dataDirectory} (kept if it already holds one) and starts it.
     *
     * @param dataDirectory where the cluster lives; kept when the server stops
     * @param port the port, or 0 for one that is free now (then kept across restarts)
     * @return the running server
     * @throws IOException if the server does not start
     */
    public static RestartableServer start(Path dataDirectory, int port) throws IOException {
        RestartableServer s = new RestartableServer(dataDirectory, port == 0 ? freePort() : port);
        s.start();
        return s;
    }

    /** Starts the server on its directory and port; does nothing if it runs. */
    public void start() throws IOException {
        if (server != null) {
            return;
        }
        Files.createDirectories(dataDirectory);
        server = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setRegisterShutdownHook(false)
                .setServerConfig("max_connections", "200")
                .start();
    }

    /** Stops the server ({@code pg_ctl stop -m fast}); its directory stays. Does nothing if it is stopped. */
    public void stop() throws IOException {
        if (server == null) {
            return;
        }
        server.close();
        server = null;
        if (!Files.exists(dataDirectory.resolve("postgresql.conf"))) {
            throw new IllegalStateException("The embedded PostgreSQL removed its data directory " + dataDirectory
                    + " when it stopped: it cannot be started again");
        }
    }

    /** {@return whether the server runs} */
    public boolean running() {
        return server != null;
    }

    /** {@return the JDBC URL of the {@code postgres} database, as user {@code postgres}} */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    /** {@return the superuser's name} */
    public String user() {
        return "postgres";
    }

    /** {@return the port, the same across restarts} */
    public int port() {
        return port;
    }

    /** {@return the data directory, the same across restarts} */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the server if it runs; leaves the directory. */
    @Override
    public void close() {
        try {
            stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
