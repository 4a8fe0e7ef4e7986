package dev.lamplighter.worker.testing;

import dev.lamplighter.worker.internal.db.ConnectionInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PgBouncer in transaction mode in front of a test's PostgreSQL, run from the {@code pgbouncer}
 * binary (Debian's package: {@code apt-get install -y pgbouncer}; {@code .ci/run} installs it).
 *
 * <p>{@link #start} writes {@code pgbouncer.ini} and the auth file into a fresh temporary directory,
 * listens on a free port of 127.0.0.1 (no Unix socket), starts the binary as a child process in the
 * foreground, and returns once a connection through it succeeds (within {@link #START_TIMEOUT}).
 * PgBouncer refuses to run as root, so as root it is started with {@code -u nobody}, and the
 * directory and its files are made readable to that user. {@link #close()} stops it and removes the
 * directory. Clients authenticate with {@code auth_type = trust}; PgBouncer logs in to PostgreSQL
 * with the test database's user and password.
 */
public final class PgBouncerProcess implements AutoCloseable {

    /** How long {@link #start} waits for PgBouncer to accept a connection. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    /** What a test that needs PgBouncer says when it is skipped. */
    public static final String HOW_TO_INSTALL = "pgbouncer is not installed (looked on PATH, /usr/sbin, /usr/bin): "
            + "install it with `apt-get install -y pgbouncer` (Debian, Ubuntu; .ci/run does) to run the PgBouncer tests";

    private static final List<String> SEARCHED = List.of("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer",
            "/usr/local/bin/pgbouncer");

    private final Process process;
    private final Path dir;
    private final Path log;
    private final int port;
    private final String database;
    private final String user;
    private final String password;

    private PgBouncerProcess(Process process, Path dir, Path log, int port, String database, String user, String password) {
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
    }

    /** The pgbouncer binary, if one is installed. */
    public static Optional<Path> binary() {
        Stream<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .filter(p -> !p.isBlank())
                .map(p -> Path.of(p, "pgbouncer"));
        return Stream.concat(onPath, SEARCHED.stream().map(Path::of))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Whether a pgbouncer binary is installed. */
    public static boolean installed() {
        return binary().isPresent();
    }

    /** The installed version, e.g. "1.18.0" (from {@code pgbouncer --version}). */
    public static String version() {
        Path bin = binary().orElseThrow(() -> new IllegalStateException(HOW_TO_INSTALL));
        try {
            Process p = new ProcessBuilder(bin.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("PgBouncer (\\d+\\.\\d+(\\.\\d+)?)").matcher(out);
            if (!m.find()) {
                throw new IllegalStateException("Cannot read the version in `pgbouncer --version`: " + out.strip());
            }
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether the installed PgBouncer is older than {@code major.minor}. */
    public static boolean olderThan(int major, int minor) {
        String[] parts = version().split("\\.");
        int ma = Integer.parseInt(parts[0]);
        int mi = Integer.parseInt(parts[1]);
        return ma < major || (ma == major && mi < minor);
    }

    /**
     * Starts PgBouncer in transaction mode in front of the server of {@code target}, with at most
     * {@code serverConnections} connections to it.
     *
     * @throws IllegalStateException if it is not installed, or does not accept connections in time (with its log)
     */
    public static PgBouncerProcess start(ConnectionInfo target, int serverConnections) {
        Path bin = binary().orElseThrow(() -> new IllegalStateException(HOW_TO_INSTALL));
        Properties url = Driver.parseURL(target.jdbcUrl(), new Properties());
        if (url == null) {
            throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: " + ConnectionInfo.redact(target.jdbcUrl()));
        }
        String host = url.getProperty("PGHOST", "localhost").split(",")[0];
        String serverPort = url.getProperty("PGPORT", "5432").split(",")[0];
        String database = url.getProperty("PGDBNAME");
        String user = target.user() != null ? target.user() : url.getProperty("user", System.getProperty("user.name"));
        String password = target.password() != null ? target.password() : url.getProperty("password", "");
        int port = freePort();
        try {
            Path dir = Files.createTempDirectory("lamplighter-pgbouncer");
            Path ini = dir.resolve("pgbouncer.ini");
            Path users = dir.resolve("userlist.txt");
            Path log = dir.resolve("pgbouncer.log");
            Files.writeString(ini, ini(database, host, serverPort, port, serverConnections, users));
            Files.writeString(users, quoted(user) + " " + quoted(password) + "\n");
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                // PgBouncer will not run as root: it switches to nobody, who must read these files.
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.setPosixFilePermissions(ini, PosixFilePermissions.fromString("rw-r--r--"));
                Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-r--r--"));
            }
            List<String> command = new ArrayList<>(List.of(bin.toString()));
            if (root) {
                command.addAll(List.of("-u", "nobody"));
            }
            command.add(ini.toString());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            PgBouncerProcess bouncer = new PgBouncerProcess(process, dir, log, port, database, user, password);
            bouncer.awaitAccepting();
            return bouncer;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start pgbouncer: " + e.getMessage(), e);
        }
    }

    private static String ini(String database, String host, String serverPort, int port, int serverConnections, Path users) {
        return """
                [databases]
                %1$s = host=%2$s port=%3$s dbname=%1$s

                [pgbouncer]
                listen_addr = 127.0.0.1
                listen_port = %4$d
                unix_socket_dir =
                auth_type = trust
                auth_file = %6$s
                pool_mode = transaction
                default_pool_size = %5$d
                max_db_connections = %5$d
                min_pool_size = 0
                reserve_pool_size = 0
                max_client_conn = 500
                server_reset_query =
                log_connections = 0
                log_disconnections = 0
                """.formatted(database, host, serverPort, port, serverConnections, users);
    }

    private static String quoted(String s) {
        return "\"" + (s == null ? "" : s.replace("\"", "\"\"")) + "\"";
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tries to connect until it works, the process dies or the timeout passes; waits on the process in between. */
    private void awaitAccepting() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String output = logText();
                deleteDir();
                throw new IllegalStateException("pgbouncer exited with code " + process.exitValue() + " at start: " + output);
            }
            try (Connection c = DriverManager.getConnection(jdbcUrl(), connectionProperties())) {
                c.createStatement().execute("SELECT 1");
                return;
            } catch (SQLException e) {
                last = e;
            }
            try {
                process.waitFor(50, TimeUnit.MILLISECONDS); // returns at once if it exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String output = logText();
        close();
        throw new IllegalStateException("pgbouncer did not accept connections on 127.0.0.1:" + port + " within "
                + START_TIMEOUT + " (" + (last == null ? "" : last.getMessage()) + "): " + output);
    }

    /** The JDBC URL through PgBouncer, with {@code prepareThreshold=0} (see docs/pgbouncer.md). */
    public String jdbcUrl() {
        return jdbcUrlWithout("?prepareThreshold=0");
    }

    /** The JDBC URL through PgBouncer followed by {@code query} (e.g. "" for pgjdbc's defaults). */
    public String jdbcUrlWithout(String query) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + query;
    }

    /** The user and password PgBouncer knows. */
    public Properties connectionProperties() {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null && !password.isEmpty()) {
            p.setProperty("password", password);
        }
        return p;
    }

    /** A DataSource without a pool through PgBouncer, with {@code prepareThreshold=0}. */
    public PGSimpleDataSource dataSource(String applicationName) {
        PGSimpleDataSource ds = new ConnectionInfo(jdbcUrl(), user, password.isEmpty() ? null : password)
                .unpooled(applicationName);
        return ds;
    }

    /** The port PgBouncer listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** What PgBouncer has logged so far. */
    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8).strip() : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Stops PgBouncer (SIGTERM, then SIGKILL after 10 s) and removes its directory. Safe to call twice. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        deleteDir();
    }

    private void deleteDir() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
