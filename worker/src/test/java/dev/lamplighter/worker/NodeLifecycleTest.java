package dev.lamplighter.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.JobHandler;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.testing.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A node as an embedding service runs it: on the application's DataSource, started and closed,
 * two of them in one JVM, and its health while the database goes away and comes back.
 */
class NodeLifecycleTest {

    private final TestDatabase db = TestDatabase.get();

    @BeforeEach
    void reset() {
        db.reset();
    }

    @Test
    void two_nodes_in_one_jvm_on_one_datasource_both_run_jobs_and_each_job_runs_once() throws Exception {
        int jobs = 200;
        Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
        Map<Long, String> ranOn = new ConcurrentHashMap<>();
        Set<String> nodesSeen = ConcurrentHashMap.newKeySet();
        CountDownLatch bothRunning = new CountDownLatch(2);
        CountDownLatch done = new CountDownLatch(jobs);
        java.util.function.Function<String, JobHandler> handlerOn = node -> JobHandler.of("count", ctx -> {
            if (nodesSeen.add(node)) {
                bothRunning.countDown();
            }
            // The first jobs wait until the other node runs one too, so that both take part.
            bothRunning.await(30, TimeUnit.SECONDS);
            runs.computeIfAbsent(ctx.jobId(), id -> new AtomicInteger()).incrementAndGet();
            ranOn.put(ctx.jobId(), node);
            done.countDown();
            return Map.of();
        });
        LamplighterClient client = LamplighterClient.create(db.database().dataSource());
        for (int i = 0; i < jobs; i++) {
            client.enqueue(JobRequest.builder("count").put("i", i).build());
        }
        try (Lamplighter a = node("node-a", handlerOn.apply("node-a")).start();
             Lamplighter b = node("node-b", handlerOn.apply("node-b")).start()) {
            assertThat(a.nodeId()).isEqualTo("node-a");
            assertThat(b.nodeId()).isEqualTo("node-b");
            assertThat(done.await(60, TimeUnit.SECONDS)).as("every job ran within 60 s").isTrue();
            assertThat(a.isHealthy()).isTrue();
            assertThat(b.isHealthy()).isTrue();
            a.close();
            b.close();
            assertThat(a.health().problems()).containsExactly("closed");
            assertThat(b.health().problems()).containsExactly("closed");
        }
        assertThat(runs).hasSize(jobs);
        assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).as("executions of one job").isEqualTo(1));
        assertThat(Set.copyOf(ranOn.values())).containsExactlyInAnyOrder("node-a", "node-b");
        Map<String, Object> rows = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) FILTER (WHERE status = 'completed') AS completed,
                       count(DISTINCT locked_by) FILTER (WHERE locked_by IS NOT NULL) AS still_locked
                FROM lamplighter.jobs""").mapToMap().one());
        assertThat(rows).containsEntry("completed", (long) jobs).containsEntry("still_locked", 0L);
        int nodes = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM lamplighter.nodes").mapTo(Integer.class).one());
        assertThat(nodes).as("both nodes left the nodes table").isZero();
    }

    @Test
    void a_second_node_in_one_jvm_with_the_same_node_id_is_refused_at_start_naming_the_id() {
        // Both take the default node id, <hostname>-<pid>: the same for every node of one JVM.
        Lamplighter first = Lamplighter.builder(db.database().dataSource()).migrate(false).workerThreads(0).build();
        Lamplighter second = Lamplighter.builder(db.database().dataSource()).migrate(false).workerThreads(0).build();
        assertThat(second.nodeId()).isEqualTo(first.nodeId());
        try (first; second) {
            first.start();
            org.assertj.core.api.Assertions.assertThatThrownBy(second::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("nodeId (LAMPLIGHTER_NODE_ID) = \"" + first.nodeId() + "\" is taken by another node "
                            + "running in this JVM: give each node its own nodeId (Lamplighter.Builder.nodeId)");
            assertThat(first.isHealthy()).isTrue();
            assertThat(second.health().problems()).containsExactly("not started");
            first.close();
            second.start();
            assertThat(second.isHealthy()).as("the id is free again once the first node closed").isTrue();
        }
    }

    @Test
    void close_waits_for_a_running_job_only_up_to_the_shutdown_timeout_and_gives_it_back_to_the_queue() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Lamplighter node = Lamplighter.builder(db.database().dataSource())
                .config(LamplighterConfig.builder().workerPollInterval(Duration.ofMillis(200)).build())
                .nodeId("draining").migrate(false).schedulerEnabled(false)
                .shutdownTimeout(Duration.ofMillis(300))
                .handler(JobHandler.of("stuck", ctx -> {
                    started.countDown();
                    release.await(60, TimeUnit.SECONDS);
                    return Map.of();
                }))
                .start();
        try {
            long id = node.client().enqueue(JobRequest.builder("stuck").build());
            assertThat(started.await(30, TimeUnit.SECONDS)).as("the job started within 30 s").isTrue();
            java.util.concurrent.CompletableFuture.runAsync(node::close).get(15, TimeUnit.SECONDS);
            Map<String, Object> job = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT status, locked_by FROM lamplighter.jobs WHERE job_id = :id").bind("id", id).mapToMap().one());
            assertThat(job).containsEntry("status", "queued").containsEntry("locked_by", null);
            assertThat(node.health().problems()).containsExactly("closed");
        } finally {
            release.countDown();
            node.close();
        }
    }

    @Test
    void health_is_unhealthy_with_a_reason_while_the_database_cannot_be_reached_and_closed_after_close() throws Exception {
        ConnectionInfo info = db.database().connectionInfo();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(info.jdbcUrl());
        ds.setUser(info.user());
        if (info.password() != null) {
            ds.setPassword(info.password());
        }
        ds.setApplicationName("lamplighter-health-test");
        ds.setConnectTimeout(2);
        int port = ds.getPortNumbers()[0];
        Lamplighter node = Lamplighter.builder(ds)
                .config(LamplighterConfig.builder().pollInterval(Duration.ofSeconds(1))
                        .workerPollInterval(Duration.ofMillis(100)).build())
                .nodeId("health-node").migrate(false)
                .handler(JobHandler.of("noop", ctx -> Map.of()))
                .build();
        assertThat(node.health().problems()).containsExactly("not started");
        node.start();
        try {
            assertThat(node.health().healthy()).isTrue();
            assertThat(node.health().problems()).isEmpty();

            ds.setPortNumbers(new int[] {closedPort()});
            db.jdbi().useHandle(h -> h.createQuery("""
                    SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                    WHERE application_name = 'lamplighter-health-test'""").mapTo(Long.class).one());
            awaitTrue("the node reports the outage", () -> !node.isHealthy());
            assertThat(node.health().problems()).isNotEmpty()
                    .allSatisfy(p -> assertThat(p).containsAnyOf("cannot reach the database", "LISTEN connection is down"));

            ds.setPortNumbers(new int[] {port});
            awaitTrue("the node is healthy again once the database answers", node::isHealthy);
        } finally {
            node.close();
        }
        assertThat(node.isHealthy()).isFalse();
        assertThat(node.health().problems()).containsExactly("closed");
    }

    private Lamplighter node(String id, JobHandler handler) {
        return Lamplighter.builder(db.database().dataSource())
                .config(LamplighterConfig.builder().workerPollInterval(Duration.ofMillis(200)).build())
                .nodeId(id).workerThreads(4).migrate(false).schedulerEnabled(false)
                .handler(handler)
                .build();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Waits for a condition, checking it every 20 ms, for at most 30 s. */
    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as(what + " within 30 s").isTrue();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
