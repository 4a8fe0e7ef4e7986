package dev.lamplighter.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.lamplighter.worker.internal.singleton.SingletonSupervisor;
import dev.lamplighter.worker.singleton.LeadershipLostException;
import dev.lamplighter.worker.singleton.SingletonContext;
import dev.lamplighter.worker.singleton.SingletonOptions;
import dev.lamplighter.worker.singleton.SingletonService;
import dev.lamplighter.worker.testing.LogCapture;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A singleton service runs on exactly one of several nodes, moves to another node when its leader
 * closes or stops renewing, and its guard ({@code verifyLeadership}) fails on a former leader.
 * Three nodes in one JVM on one database, one test clock; the lease is ten minutes, so the nodes'
 * own loops renew only every 200 s and the test drives every turn that matters itself.
 */
@Tag(TestClock.TAG)
class SingletonServiceTest {

    private static final long HARD_TIMEOUT_S = 30;
    private static final Duration LEASE = Duration.ofMinutes(10);
    private static final SingletonOptions OPTIONS = SingletonOptions.builder().lease(LEASE)
            .restartBackoff(Duration.ofMillis(20)).maxRestartBackoff(Duration.ofMillis(80)).stopGrace(Duration.ofSeconds(5))
            .build();

    private final TestDatabase db = TestDatabase.get();
    private final MutableClock clock = TestClock.mutable();
    private final List<Lamplighter> nodes = new ArrayList<>();

    /** What the service saw: each start, with its node and context; each end. */
    private final BlockingQueue<SingletonContext> starts = new LinkedBlockingQueue<>();
    private final BlockingQueue<SingletonContext> ended = new LinkedBlockingQueue<>();
    private final AtomicInteger runningNow = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    /** Runs until interrupted or no longer leader (sleep returns false), counting how many run at once. */
    private final SingletonService feed = ctx -> {
        mostAtOnce.accumulateAndGet(runningNow.incrementAndGet(), Math::max);
        starts.add(ctx);
        try {
            while (ctx.sleep(Duration.ofHours(1))) {
                // a real service would consume its feed here
            }
        } finally {
            runningNow.decrementAndGet();
            ended.add(ctx);
        }
    };

    private final Logger runnerLog = (Logger) org.slf4j.LoggerFactory.getLogger(
            "dev.lamplighter.worker.internal.singleton.SingletonRunner");
    private final ListAppender<ILoggingEvent> runnerEvents = new ListAppender<>();

    @BeforeEach
    void reset() {
        db.reset();
        runnerEvents.start();
        runnerLog.addAppender(runnerEvents);
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(Lamplighter::close);
        runnerLog.detachAppender(runnerEvents);
    }

    private Lamplighter node(String id, SingletonService service) {
        Lamplighter node = Lamplighter.builder(db.database().dataSource())
                .config(LamplighterConfig.builder().clock(clock).build())
                .nodeId(id).workerThreads(0).migrate(false).schedulerEnabled(false)
                .singleton("feed", service, OPTIONS)
                .start();
        nodes.add(node);
        return node;
    }

    private static SingletonSupervisor supervisor(Lamplighter node) {
        return node.singletons();
    }

    private Map<String, Object> row() {
        return db.jdbi().withHandle(h -> h.createQuery(
                "SELECT owner, token, failures, last_error FROM lamplighter.singletons WHERE name = 'feed'").mapToMap().one());
    }

    private static SingletonContext next(BlockingQueue<SingletonContext> queue) throws InterruptedException {
        SingletonContext ctx = queue.poll(HARD_TIMEOUT_S, TimeUnit.SECONDS);
        assertThat(ctx).as("an event within %d s", HARD_TIMEOUT_S).isNotNull();
        return ctx;
    }

    @Test
    void exactly_one_of_three_nodes_runs_the_singleton() throws Exception {
        Lamplighter a = node("a", feed);
        Lamplighter b = node("b", feed);
        Lamplighter c = node("c", feed);

        SingletonContext leader = next(starts);
        for (int turn = 0; turn < 3; turn++) {
            for (Lamplighter n : List.of(a, b, c)) {
                supervisor(n).runOnce();
            }
        }

        assertThat(starts).as("no second start").isEmpty();
        assertThat(mostAtOnce.get()).isEqualTo(1);
        assertThat(row()).containsEntry("owner", leader.nodeId()).containsEntry("token", 1L);
        assertThat(leader.fencingToken()).isEqualTo(1);
        leader.verifyLeadership();
        assertThat(nodes.stream().filter(n -> supervisor(n).serviceRunning("feed")).map(Lamplighter::nodeId))
                .containsExactly(leader.nodeId());
    }

    @Test
    void closing_the_leader_releases_the_lease_at_once_and_another_node_takes_over_with_a_greater_token() throws Exception {
        Lamplighter a = node("a", feed);
        SingletonContext first = next(starts);
        Lamplighter b = node("b", feed);

        a.close();

        assertThat(next(ended)).isSameAs(first);
        assertThat(first.isLeader()).isFalse();
        assertThatThrownBy(first::verifyLeadership).isInstanceOf(LeadershipLostException.class)
                .hasMessageContaining("Singleton 'feed' on node a (token 1)").hasMessageContaining("the node is closing");
        supervisor(b).runOnce();   // without waiting for the lease (ten minutes) to run out
        SingletonContext second = next(starts);
        assertThat(second.nodeId()).isEqualTo("b");
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        second.verifyLeadership();
        assertThat(row()).containsEntry("owner", "b").containsEntry("token", 2L);
    }

    @Test
    void a_leader_that_stops_renewing_loses_the_lease_its_service_is_interrupted_and_its_guard_fails() throws Exception {
        Lamplighter a = node("a", feed);
        SingletonContext first = next(starts);
        Lamplighter b = node("b", feed);
        supervisor(b).runOnce();
        assertThat(starts).as("b waits while a's lease holds").isEmpty();

        clock.advance(LEASE.plusSeconds(1));   // a's renewals have stopped (its loop renews every 200 s)
        supervisor(b).runOnce();
        SingletonContext second = next(starts);

        assertThat(second.nodeId()).isEqualTo("b");
        assertThat(second.fencingToken()).isEqualTo(2);
        assertThatThrownBy(first::verifyLeadership).isInstanceOf(LeadershipLostException.class)
                .hasMessageContaining("node b holds it now with token 2");
        second.verifyLeadership();

        supervisor(a).runOnce();   // a's next renewal finds the lease gone
        assertThat(next(ended)).isSameAs(first);
        assertThat(first.isLeader()).isFalse();
        assertThat(second.isLeader()).isTrue();
        assertThat(row()).containsEntry("owner", "b").containsEntry("token", 2L);
    }

    @Test
    void an_operator_who_ends_the_lease_makes_the_guard_fail_at_once() throws Exception {
        node("a", feed);
        SingletonContext leader = next(starts);
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE lamplighter.singletons SET lease_until = CAST(:now AS timestamptz)")
                .bind("now", clock.instant()).execute());

        assertThatThrownBy(leader::verifyLeadership).isInstanceOf(LeadershipLostException.class)
                .hasMessageContaining("the lease ran out at ");
    }

    @Test
    void a_service_that_throws_is_restarted_with_a_doubling_backoff_and_one_warning_per_failure() throws Exception {
        CountDownLatch fourRuns = new CountDownLatch(4);
        try (LogCapture logs = new LogCapture()) {
            node("a", ctx -> {
                fourRuns.countDown();
                if (fourRuns.getCount() == 0) {
                    ctx.sleep(Duration.ofHours(1));
                    return;
                }
                throw new IllegalStateException("feed unreachable");
            });
            assertThat(fourRuns.await(HARD_TIMEOUT_S, TimeUnit.SECONDS)).isTrue();

            List<String> failures = logs.warnings().stream().filter(w -> w.contains("Singleton 'feed'")).toList();
            assertThat(failures).hasSize(3);
            assertThat(runnerEvents.list.stream().filter(e -> e.getFormattedMessage().contains("failed"))
                    .map(e -> e.getThrowableProxy() != null)).as("a stack trace with the first failure only")
                    .containsExactly(true, false, false);
            assertThat(failures.get(0)).contains("failed: feed unreachable; restart 1 in 20ms");
            assertThat(failures.get(1)).contains("failed again: feed unreachable; restart 2 in 40ms");
            assertThat(failures.get(2)).contains("restart 3 in 80ms");
        }
        assertThat(row()).containsEntry("owner", "a").containsEntry("token", 1L).containsEntry("failures", 3)
                .containsEntry("last_error", "feed unreachable");
    }

    @Test
    void bad_options_and_names_are_refused_with_the_setting_the_value_and_what_is_allowed() {
        assertThatThrownBy(() -> SingletonOptions.builder().lease(Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("singleton lease = 1s is not allowed: expected from 3s to 1h");
        assertThatThrownBy(() -> SingletonOptions.builder().restartBackoff(Duration.ofSeconds(5))
                .maxRestartBackoff(Duration.ofSeconds(2)).build())
                .hasMessage("singleton maxRestartBackoff = 2s is not allowed: expected from 5s to 1h");
        Lamplighter.Builder builder = Lamplighter.builder(db.database().dataSource());
        assertThatThrownBy(() -> builder.singleton("feed consumer", feed))
                .hasMessage("singleton name = \"feed consumer\" is not allowed: expected 1 to 128 letters, digits, "
                        + "'_', '.', ':', '@' or '-'");
        builder.singleton("feed", feed);
        assertThatThrownBy(() -> builder.singleton("feed", ctx -> { }))
                .hasMessageContaining("singleton name = \"feed\" is registered twice");
    }

    @Test
    void a_leader_cut_off_from_the_database_stops_its_service_when_its_own_measure_of_the_lease_runs_out() throws Exception {
        BreakableDataSource cutOff = new BreakableDataSource(db.database().dataSource());
        Lamplighter a = Lamplighter.builder(cutOff)
                .config(LamplighterConfig.builder().clock(clock).listen(false).build())
                .nodeId("cut-off").workerThreads(0).migrate(false).schedulerEnabled(false)
                .singleton("feed", feed, SingletonOptions.builder().lease(Duration.ofSeconds(3)).build())
                .start();
        nodes.add(a);
        SingletonContext leader = next(starts);

        cutOff.broken = true;   // renewals fail from now on; the lease (3 s on the node's monotonic clock) runs out

        assertThat(next(ended)).isSameAs(leader);
        assertThat(leader.isLeader()).isFalse();
        assertThatThrownBy(leader::verifyLeadership).isInstanceOf(LeadershipLostException.class)
                .hasMessageContaining("its lease ran out while the database could not be reached");
        cutOff.broken = false;
    }

    /**
     * verifyLeadership(connection) holds the lease row until the caller's transaction ends: a node
     * that would take over (its lease ran out) waits until the leader's writes are committed, and
     * gets the singleton only then, with the next token.
     */
    @Test
    void the_guard_in_the_callers_transaction_keeps_a_takeover_waiting_until_that_transaction_ends() throws Exception {
        Lamplighter a = node("a", feed);
        SingletonContext leader = next(starts);
        Lamplighter b = node("b", feed);
        try (java.sql.Connection c = db.database().dataSource().getConnection()) {
            assertThatThrownBy(() -> leader.verifyLeadership(c)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("connection in autocommit is not allowed for verifyLeadership(connection)");
            c.setAutoCommit(false);
            leader.verifyLeadership(c);   // the leader's destructive step would follow in this transaction

            clock.advance(LEASE.plusSeconds(1));
            Thread takeover = new Thread(() -> supervisor(b).runOnce(), "test-takeover");
            takeover.start();
            assertThat(waitingOnALock()).as("b's acquisition waits for the leader's transaction").isTrue();
            assertThat(row()).containsEntry("owner", "a");

            c.commit();
            takeover.join(TimeUnit.SECONDS.toMillis(HARD_TIMEOUT_S));
            assertThat(takeover.isAlive()).isFalse();
        }
        assertThat(next(starts).nodeId()).isEqualTo("b");
        assertThat(row()).containsEntry("owner", "b").containsEntry("token", 2L);
        try (java.sql.Connection c = db.database().dataSource().getConnection()) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> leader.verifyLeadership(c)).isInstanceOf(LeadershipLostException.class)
                    .hasMessageContaining("node b holds it now with token 2");
            c.rollback();
        }
        supervisor(a).runOnce();
    }

    /** Whether a statement on lamplighter.singletons waits for a row lock (bounded by the hard timeout). */
    private boolean waitingOnALock() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HARD_TIMEOUT_S);
        while (System.nanoTime() < deadline) {
            boolean waiting = db.jdbi().withHandle(h -> h.createQuery("""
                    SELECT count(*) > 0 FROM pg_stat_activity
                    WHERE wait_event_type = 'Lock' AND query LIKE '%lamplighter.singletons%'""").mapTo(Boolean.class).one());
            if (waiting) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    /** A DataSource whose connections can be refused, as when the database cannot be reached. */
    private static final class BreakableDataSource implements javax.sql.DataSource {
        private final javax.sql.DataSource delegate;
        volatile boolean broken;

        BreakableDataSource(javax.sql.DataSource delegate) {
            this.delegate = delegate;
        }

        private void check() throws java.sql.SQLException {
            if (broken) {
                throw new java.sql.SQLTransientConnectionException("database unreachable (test)", "08001");
            }
        }

        @Override
        public java.sql.Connection getConnection() throws java.sql.SQLException {
            check();
            return delegate.getConnection();
        }

        @Override
        public java.sql.Connection getConnection(String user, String password) throws java.sql.SQLException {
            check();
            return delegate.getConnection(user, password);
        }

        @Override
        public java.io.PrintWriter getLogWriter() throws java.sql.SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) throws java.sql.SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws java.sql.SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws java.sql.SQLException {
            return delegate.getLoginTimeout();
        }

        @Override
        public java.util.logging.Logger getParentLogger() throws java.sql.SQLFeatureNotSupportedException {
            return delegate.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws java.sql.SQLException {
            return delegate.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws java.sql.SQLException {
            return delegate.isWrapperFor(iface);
        }
    }
}
