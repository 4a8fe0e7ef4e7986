package dev.lamplighter.worker.cli;

import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.demo.Demo;
import dev.lamplighter.worker.internal.db.DatabaseStarter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code lamplighter demo}: the seed's four schedules over a small demo vocabulary. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the four scheduled jobs of the knowledge-graph example over a small demo schema",
                "(lamplighter_demo), with a simulated ingestion, until Ctrl-C or --for."})
final class DemoCommand implements java.util.concurrent.Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = "--for", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Stop by itself after this long (e.g. 60s, 5m).")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        LamplighterConfig config = main.config();
        CountDownLatch finished = new CountDownLatch(1);
        try (DatabaseStarter db = main.startDatabase(config)) {
            Demo demo = new Demo(db.database(), config, main.out, db.psqlTarget());
            Thread hook = new Thread(() -> {
                demo.stop();
                try {
                    finished.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "lamplighter-demo-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                demo.run(duration);
            } finally {
                removeHook(hook);
            }
        } finally {
            finished.countDown();
        }
        return 0;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is running and waits for us.
        }
    }
}
