package dev.lamplighter.chaos.racing;

import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.internal.db.Database;
import java.util.concurrent.CountDownLatch;

/**
 * One node of the race in a process of its own: the poll loop with the race's launcher, on a pool
 * of its own, settings from the {@code LAMPLIGHTER_*} environment (the program sets
 * {@code LAMPLIGHTER_POLL_INTERVAL=1s}, {@code LAMPLIGHTER_WORKER_THREADS=0}). On SIGTERM it stops
 * and prints its tick counts as its last line ({@code race-ticks <node> <led> <led-empty> <lock-held>}).
 */
public final class RaceNode {

    private RaceNode() {
    }

    /**
     * Runs the node until the process is told to stop.
     *
     * @param args none
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        Machine.quietLogs();   // one INFO line per launch, a thousand a second, would load the machine
        LamplighterConfig config = LamplighterConfig.fromEnvironment();
        ConnectionInfo info = ConnectionInfo.parse("LAMPLIGHTER_DATABASE_URL", System.getenv("LAMPLIGHTER_DATABASE_URL"));
        TickCounter counter = new TickCounter(new Object());
        Database pool = Database.connect(info, 4, config.nodeId());
        Lamplighter node = Lamplighter.builder(pool.dataSource()).config(config)
                .launcher(AlwaysLaunch.launcher()).listener(counter).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            pool.close();
            System.out.println(counter.line(config.nodeId()));
            System.out.flush();
            stopped.countDown();
        }, "race-node-stop"));
        stopped.await();
    }
}
