package dev.lamplighter.chaos.killed;

import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.events.LamplighterListener;
import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.internal.db.Database;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;

/**
 * One worker process of the killed-workers program, started the way {@code lamplighter run} starts
 * a node (pool, Flyway, node), with {@link ExecutionRecorder} as its only handler and the
 * {@code LAMPLIGHTER_*} settings the program gives it. It records when it reached each step of its
 * start in {@code public.chaos_worker_starts}, then runs until it is stopped or killed.
 */
public final class WorkerNode {

    private WorkerNode() {
    }

    /**
     * Runs the worker until the process ends.
     *
     * @param args none
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        Instant mainAt = Instant.now();
        Instant processStartedAt = ProcessHandle.current().info().startInstant().orElse(mainAt);
        LamplighterConfig config = LamplighterConfig.fromEnvironment();
        ConnectionInfo info = ConnectionInfo.parse("LAMPLIGHTER_DATABASE_URL", System.getenv("LAMPLIGHTER_DATABASE_URL"));
        Database database = Database.connect(info, 6, config.nodeId());
        Instant poolAt = Instant.now();
        if (config.migrate()) {
            database.migrate();
        }
        Instant migratedAt = Instant.now();

        AtomicReference<Instant> firstClaim = new AtomicReference<>();
        CountDownLatch claimed = new CountDownLatch(1);
        LamplighterListener onFirstClaim = new LamplighterListener() {
            @Override
            public void claimed(String jobType, int count) {
                if (firstClaim.compareAndSet(null, Instant.now())) {
                    claimed.countDown();
                }
            }
        };
        Jdbi recorderDb = Jdbi.create(info.unpooled("chaos-executions-" + config.nodeId()));
        Lamplighter node = Lamplighter.builder(database.dataSource())
                .config(config.toBuilder().migrate(false).build())
                .handler(new ExecutionRecorder(recorderDb, config.nodeId()))
                .listener(onFirstClaim)
                .start();
        Instant startedAt = Instant.now();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            database.close();
            stopped.countDown();
        }, "chaos-worker-stop"));

        database.jdbi().useHandle(h -> h.createUpdate(KilledSql.RECORD_START).bind("node", config.nodeId())
                .bind("pid", ProcessHandle.current().pid()).bind("processStartedAt", processStartedAt)
                .bind("mainAt", mainAt).bind("poolAt", poolAt).bind("migratedAt", migratedAt)
                .bind("nodeStartedAt", startedAt).bind("firstClaimAt", firstClaim.get()).execute());
        claimed.await();
        database.jdbi().useHandle(h -> h.createUpdate(KilledSql.RECORD_FIRST_CLAIM).bind("node", config.nodeId())
                .bind("firstClaimAt", firstClaim.get()).execute());
        stopped.await();
    }
}
