package dev.lamplighter.chaos.restart;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One worker process of {@link DatabaseRestart}: a node with the poll loop and workers, the
 * {@link AlwaysLaunch} schedules and the {@link RecordingHandler}, until the process is stopped.
 * The password, if any, comes from {@code LAMPLIGHTER_CHAOS_PASSWORD}, not the command line.
 */
@Command(name = "DatabaseRestartWorker", mixinStandardHelpOptions = true,
        description = "A worker node of the database-restart program; runs until stopped.")
public final class DatabaseRestartWorker implements Callable<Integer> {

    /** Where the password comes from. */
    public static final String PASSWORD_ENV = "LAMPLIGHTER_CHAOS_PASSWORD";

    @Option(names = "--url", required = true, description = "JDBC URL of the database")
    String url;
    @Option(names = "--user", required = true, description = "database user")
    String user;
    @Option(names = "--node", required = true, description = "node id")
    String node;
    @Option(names = "--threads", defaultValue = "4", description = "worker threads (default: ${DEFAULT-VALUE})")
    int threads;
    @Option(names = "--schedules", defaultValue = "20", description = "schedules declared (default: ${DEFAULT-VALUE})")
    int schedules;
    @Option(names = "--every", defaultValue = "3s", converter = DurationOption.class,
            description = "the schedules' interval (default: ${DEFAULT-VALUE})")
    Duration every;
    @Option(names = "--work-ms", defaultValue = "20", description = "work of a launched job (default: ${DEFAULT-VALUE})")
    long workMs;
    @Option(names = "--successes", required = true, description = "file the handler records successes in")
    Path successes;

    /**
     * Runs the worker.
     *
     * @param args the options above
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new DatabaseRestartWorker()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        RestartNode.Settings settings = new RestartNode.Settings(url, user, System.getenv(PASSWORD_ENV), node, threads,
                true, schedules, every, workMs, Duration.ofSeconds(1));
        SuccessFile file = new SuccessFile(successes);
        RestartNode running = RestartNode.start(settings, file, new dev.lamplighter.worker.events.LamplighterListener() { });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            file.close();
            stopped.countDown();
        }, "chaos-worker-stop"));
        stopped.await();
        return 0;
    }
}
