package dev.lamplighter.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lamplighter.Decision;
import dev.lamplighter.JobHandler;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import dev.lamplighter.Schedule;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.conditions.Conditions;
import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.internal.db.Database;
import dev.lamplighter.worker.testing.PgBouncerProcess;
import dev.lamplighter.worker.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nodes behind a real PgBouncer in transaction mode with LISTEN off (docs/pgbouncer.md): every
 * statement of a node runs through PgBouncer onto {@value #SERVER_CONNECTIONS} server connections
 * shared by all clients, on the JDBC URL the docs give ({@code prepareThreshold=0}); the schema is
 * migrated over a direct connection. Skipped, with how to install it, where pgbouncer is not installed.
 */
class PgBouncerTest {

    private static final int SERVER_CONNECTIONS = 4;
    private static final long TIMEOUT_SECONDS = 60;

    private static PgBouncerProcess bouncer;

    private final TestDatabase db = TestDatabase.get();
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeAll
    static void startPgBouncer() {
        Assumptions.assumeTrue(PgBouncerProcess.installed(), PgBouncerProcess.HOW_TO_INSTALL);
        bouncer = PgBouncerProcess.start(TestDatabase.get().database().connectionInfo(), SERVER_CONNECTIONS);
    }

    @AfterAll
    static void stopPgBouncer() {
        if (bouncer != null) {
            bouncer.close();
        }
    }

    @BeforeEach
    void reset() {
        db.reset();
    }

    @AfterEach
    void closeNodes() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    @Test
    void two_nodes_behind_pgbouncer_with_listen_off_launch_schedules_and_run_several_hundred_jobs_each_exactly_once()
            throws Exception {
        int jobs = 400;
        Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
        Set<String> nodesSeen = ConcurrentHashMap.newKeySet();
        CountDownLatch done = new CountDownLatch(jobs);
        CountDownLatch launched = new CountDownLatch(1);
        CountDownLatch bothRunning = new CountDownLatch(2);
        java.util.function.Function<String, JobHandler> counting = node -> JobHandler.of("count", ctx -> {
            if (nodesSeen.add(node)) {
                bothRunning.countDown();
            }
            // The first jobs wait until the other node runs one too, so that both take part.
            bothRunning.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            runs.computeIfAbsent(ctx.jobId(), id -> new AtomicInteger()).incrementAndGet();
            done.countDown();
            return Map.of();
        });
        JobHandler launchedJob = JobHandler.of("launched", ctx -> {
            launched.countDown();
            return Map.of();
        });
        Launcher always = new Launcher() {
            @Override
            public String name() {
                return "AlwaysLauncher";
            }

            @Override
            public Decision checkConditions(LaunchContext ctx) {
                return Decision.launch(Map.of(), "always");
            }
        };
        Schedule schedule = Schedule.builder("behind_pgbouncer").every(Duration.ofHours(1))
                .launcher("AlwaysLauncher").jobType("launched").build();

        Lamplighter a = node("bounced-a").handler(counting.apply("bounced-a")).handler(launchedJob)
                .launcher(always).schedule(schedule).start();
        Lamplighter b = node("bounced-b").handler(counting.apply("bounced-b")).handler(launchedJob)
                .launcher(always).schedule(schedule).start();
        closeAfter.add(a);
        closeAfter.add(b);

        assertThat(launched.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("the due schedule launched and its job ran").isTrue();
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            requests.add(JobRequest.builder("count").put("i", i).build());
        }
        LamplighterClient.create(pooled("bounced-client")).enqueueAll(requests);

        assertThat(done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("every job ran within %ss", TIMEOUT_SECONDS).isTrue();
        assertThat(runs).hasSize(jobs);
        assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).as("runs of one job").isEqualTo(1));
        assertThat(nodesSeen).as("both nodes ran jobs").containsExactlyInAnyOrder("bounced-a", "bounced-b");
        awaitRows("SELECT count(*) FROM lamplighter.jobs WHERE status = 'completed'", jobs + 1);
        assertThat(count("SELECT count(*) FROM lamplighter.jobs WHERE schedule_name = 'behind_pgbouncer'"))
                .as("one launch of the due slot, however many nodes").isEqualTo(1);
        assertThat(a.health().problems()).isEmpty();
        assertThat(b.health().problems()).isEmpty();
        assertThat(count("SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'LISTEN%'"))
                .as("no node listens").isZero();
    }

    @Test
    void behind_pgbouncer_a_failed_attempt_is_retried_and_then_completes() throws Exception {
        CountDownLatch secondAttempt = new CountDownLatch(1);
        Lamplighter node = node("bounced-retry")
                .config(config("bounced-retry").jobRetryBase(Duration.ofMillis(100)).build())
                .handler(JobHandler.of("flaky", ctx -> {
                    if (ctx.attempt() == 1) {
                        throw new IllegalStateException("first attempt fails");
                    }
                    secondAttempt.countDown();
                    return Map.of("attempt", ctx.attempt());
                })).start();
        closeAfter.add(node);
        long jobId = node.client().enqueue(JobRequest.builder("flaky").build());

        assertThat(secondAttempt.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("the second attempt ran").isTrue();
        awaitRows("SELECT count(*) FROM lamplighter.jobs WHERE job_id = " + jobId
                + " AND status = 'completed' AND attempts = 2", 1);
    }

    @Test
    void behind_pgbouncer_a_sql_condition_runs_under_its_role_and_launches() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        Lamplighter node = node("bounced-sql")
                .handler(JobHandler.of("sql_job", ctx -> {
                    ran.countDown();
                    return Map.of();
                }))
                .schedule(Schedule.builder("sql_behind_pgbouncer").every(Duration.ofHours(1))
                        .launcher(Conditions.launcher("BouncedSqlLauncher",
                                Conditions.sql("SELECT current_user AS runs_as")))
                        .jobType("sql_job").build())
                .start();
        closeAfter.add(node);

        assertThat(ran.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("the SQL condition launched a job").isTrue();
        String payload = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT payload::text FROM lamplighter.jobs WHERE schedule_name = 'sql_behind_pgbouncer'").mapTo(String.class).one());
        assertThat(payload).contains("\"runs_as\": \"" + LaunchContext.DEFAULT_CONDITION_ROLE + "\"");
        assertThat(serverSessionRoles()).as("SET LOCAL ROLE ended with its transaction on every server connection")
                .allSatisfy(role -> assertThat(role).isNotEqualTo(LaunchContext.DEFAULT_CONDITION_ROLE));
    }

    @Test
    void behind_pgbouncer_the_rescuer_returns_a_job_whose_lease_expired_and_it_runs() throws Exception {
        long jobId = db.jdbi().withHandle(h -> h.createQuery("""
                INSERT INTO lamplighter.jobs (job_type, status, attempts, locked_by, locked_until, started_at)
                VALUES ('orphaned', 'running', 1, 'a-node-that-died', now() - interval '1 minute', now() - interval '10 minutes')
                RETURNING job_id""").mapTo(Long.class).one());
        CountDownLatch ran = new CountDownLatch(1);
        Lamplighter node = node("bounced-rescue")
                .config(config("bounced-rescue").jobLease(LamplighterConfig.MIN_JOB_LEASE).build())
                .handler(JobHandler.of("orphaned", ctx -> {
                    ran.countDown();
                    return Map.of();
                })).start();
        closeAfter.add(node);

        assertThat(ran.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("the rescued job ran again").isTrue();
        awaitRows("SELECT count(*) FROM lamplighter.jobs WHERE job_id = " + jobId
                + " AND status = 'completed' AND attempts = 2", 1);
    }

    @Test
    void a_node_started_behind_pgbouncer_with_migrate_off_leaves_no_session_state_on_the_server_connections()
            throws Exception {
        Lamplighter node = node("bounced-state").handler(JobHandler.of("noop", ctx -> Map.of())).start();
        closeAfter.add(node);
        node.client().enqueue(JobRequest.builder("noop").build());
        awaitRows("SELECT count(*) FROM lamplighter.jobs WHERE status = 'completed'", 1);

        // Flyway's schema check at start, the claim, the completion: none leaves a setting behind.
        try (Connection direct = db.database().dataSource().getConnection();
             Statement s = direct.createStatement();
             ResultSet rs = s.executeQuery("SHOW search_path")) {
            rs.next();
            String expected = rs.getString(1);
            assertThat(serverSessionSearchPaths()).as("search_path of every server connection")
                    .allSatisfy(path -> assertThat(path).isEqualTo(expected));
        }
    }

    @Test
    void through_pgbouncer_before_1_21_pgjdbc_needs_prepare_threshold_0_which_the_docs_url_sets() throws Exception {
        Assumptions.assumeTrue(PgBouncerProcess.olderThan(1, 21),
                "PgBouncer " + PgBouncerProcess.version() + " can carry prepared statements (max_prepared_statements)");
        try (Connection withDefault = DriverManager.getConnection(bouncer.jdbcUrlWithout(""), bouncer.connectionProperties());
             Connection hold = DriverManager.getConnection(bouncer.jdbcUrl(), bouncer.connectionProperties())) {
            assertThatThrownBy(() -> transactionsOnAlternatingServerConnections(withDefault, hold))
                    .isInstanceOf(SQLException.class)
                    .hasMessageMatching("ERROR: prepared statement \"S_\\d+\" does not exist");
        }
        try (Connection documented = DriverManager.getConnection(bouncer.jdbcUrl(), bouncer.connectionProperties());
             Connection hold = DriverManager.getConnection(bouncer.jdbcUrl(), bouncer.connectionProperties())) {
            assertThat(transactionsOnAlternatingServerConnections(documented, hold)).isEqualTo(20);
        }
    }

    /**
     * Twenty transactions of {@code client}, each running one statement; every other one while
     * {@code other} holds the server connection that {@code client} used last, so that PgBouncer
     * gives {@code client} another one.
     */
    private static int transactionsOnAlternatingServerConnections(Connection client, Connection other) throws SQLException {
        int sum = 0;
        client.setAutoCommit(false);
        for (int i = 0; i < 20; i++) {
            boolean elsewhere = i % 2 == 0;
            if (elsewhere) {
                other.setAutoCommit(false);
                selectOne(other);
            }
            sum += selectOne(client);
            client.commit();
            if (elsewhere) {
                other.commit();
                other.setAutoCommit(true);
            }
        }
        return sum;
    }

    @Test
    void flyway_through_pgbouncer_leaves_its_search_path_on_a_server_connection_so_migrations_need_a_direct_one()
            throws Exception {
        String scratch = "lamplighter_pgbouncer_migrate";
        try {
            db.jdbi().useHandle(h -> {
                h.execute("DROP DATABASE IF EXISTS " + scratch);
                h.execute("CREATE DATABASE " + scratch);
            });
        } catch (RuntimeException e) {
            Assumptions.abort("cannot create a scratch database on the test server: " + e.getMessage());
        }
        ConnectionInfo test = db.database().connectionInfo();
        ConnectionInfo target = new ConnectionInfo(test.jdbcUrl().replaceFirst("/[^/?]*(\\?|$)", "/" + scratch + "$1"),
                test.user(), test.password());
        try (PgBouncerProcess scratchBouncer = PgBouncerProcess.start(target, SERVER_CONNECTIONS)) {
            String before = serverSessionSetting(scratchBouncer, "SHOW search_path").get(0);
            Database.over(scratchBouncer.dataSource("lamplighter-migrate")).migrate();
            assertThat(serverSessionSetting(scratchBouncer, "SHOW search_path"))
                    .as("the migrations apply, but one server connection keeps Flyway's search_path for the next client")
                    .anySatisfy(path -> assertThat(path).isNotEqualTo(before).contains("lamplighter"));
        } finally {
            db.jdbi().useHandle(h -> h.execute("DROP DATABASE IF EXISTS " + scratch + " WITH (FORCE)"));
        }
    }

    private static int selectOne(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT CAST(? AS int)")) {
            ps.setInt(1, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** A node on its own small pool through PgBouncer, LISTEN off, migrate off (the schema was migrated directly). */
    private Lamplighter.Builder node(String nodeId) {
        return Lamplighter.builder(pooled(nodeId)).config(config(nodeId).build());
    }

    private static LamplighterConfig.Builder config(String nodeId) {
        return LamplighterConfig.builder()
                .nodeId(nodeId)
                .listen(false)
                .migrate(false)
                .pollInterval(LamplighterConfig.MIN_POLL_INTERVAL)
                .workerPollInterval(Duration.ofMillis(100))
                .workerThreads(4)
                .shutdownTimeout(Duration.ofSeconds(5));
    }

    private HikariDataSource pooled(String name) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(bouncer.jdbcUrl());
        c.setDataSourceProperties(bouncer.connectionProperties());
        c.setMaximumPoolSize(6);
        c.setMinimumIdle(0);
        c.setPoolName("pgbouncer-" + name);
        c.setConnectionTimeout(TimeUnit.SECONDS.toMillis(30));
        HikariDataSource ds = new HikariDataSource(c);
        closeAfter.add(0, ds); // closed after the nodes
        return ds;
    }

    /** A setting as each server connection sees it: as many open transactions through PgBouncer as it has connections. */
    private static List<String> serverSessionSetting(PgBouncerProcess through, String sql) throws SQLException {
        List<Connection> clients = new ArrayList<>();
        List<String> values = new ArrayList<>();
        try {
            for (int i = 0; i < SERVER_CONNECTIONS; i++) {
                Connection c = DriverManager.getConnection(through.jdbcUrl(), through.connectionProperties());
                clients.add(c);
                c.setAutoCommit(false);
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                    rs.next();
                    values.add(rs.getString(1));
                }
            }
        } finally {
            for (Connection c : clients) {
                c.rollback();
                c.close();
            }
        }
        return values;
    }

    private List<String> serverSessionSearchPaths() throws SQLException {
        return serverSessionSetting(bouncer, "SHOW search_path");
    }

    private List<String> serverSessionRoles() throws SQLException {
        return serverSessionSetting(bouncer, "SELECT current_user");
    }

    private long count(String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    /** Waits until {@code sql} counts {@code expected}, within the hard timeout (the writes are batched). */
    private void awaitRows(String sql, long expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        long seen = count(sql);
        while (seen != expected && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            seen = count(sql);
        }
        assertThat(seen).as(sql).isEqualTo(expected);
    }
}
