package dev.lamplighter.chaos.restart;

import dev.lamplighter.chaos.ReliabilityReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Restarts PostgreSQL under running nodes, twice (stopped for {@code --outage}, then a fast restart:
 * stop and start at once), and prints what happened: how long until jobs complete and schedules
 * launch again, whether every loop came back by itself, how many log lines each node wrote during
 * each outage, and for the whole run jobs lost, handlers that succeeded but whose job was recorded
 * otherwise, slots launched twice. The handler records each success in a file
 * ({@link SuccessFile}), apart from the database.
 *
 * <p>The database is an embedded PostgreSQL that the program starts on a data directory and port
 * of its own and restarts itself, or, with {@code --stop} and {@code --start}, the server of
 * {@code LAMPLIGHTER_DATABASE_URL}, restarted by those commands. The nodes are worker processes
 * ({@link DatabaseRestartWorker}), or with {@code --in-process} nodes in this JVM, each on its own
 * connection pool (the test's way).
 *
 * <pre>
 * java -cp "chaos/target/lamplighter-chaos-0.2.0.jar:$(cat chaos/target/classpath.txt)" \
 *   dev.lamplighter.chaos.restart.DatabaseRestart --jobs 5000 --nodes 2 --outage 10s
 * </pre>
 */
@Command(name = "DatabaseRestart", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Restarts PostgreSQL under running nodes and prints what happened to every loop, job and slot.")
public final class DatabaseRestart implements Callable<Integer> {

    /** The section of docs/reliability.md this program writes. */
    public static final String SECTION = "database-restart";

    @Spec
    CommandSpec spec;

    @Option(names = "--jobs", defaultValue = "5000", description = "jobs enqueued at the start (default: ${DEFAULT-VALUE})")
    int jobs;
    @Option(names = "--work-ms", defaultValue = "20", description = "each job's work in ms (default: ${DEFAULT-VALUE})")
    long workMs;
    @Option(names = "--nodes", defaultValue = "2", description = "nodes, each with the poll loop and workers (default: ${DEFAULT-VALUE})")
    int nodes;
    @Option(names = "--threads", defaultValue = "4", description = "worker threads per node (default: ${DEFAULT-VALUE})")
    int threads;
    @Option(names = "--schedules", defaultValue = "20", description = "schedules that launch at every slot (default: ${DEFAULT-VALUE})")
    int schedules;
    @Option(names = "--every", defaultValue = "3s", converter = DurationOption.class,
            description = "their interval (default: ${DEFAULT-VALUE})")
    Duration every;
    @Option(names = "--outage", defaultValue = "10s", converter = DurationOption.class,
            description = "how long the database stays stopped in the first restart (default: ${DEFAULT-VALUE}); the second is a fast restart")
    Duration outage;
    @Option(names = "--in-process", description = "run the nodes in this JVM instead of worker processes")
    boolean inProcess;
    @Option(names = "--stop", description = "command that stops the server of LAMPLIGHTER_DATABASE_URL, e.g. \"pg_ctlcluster 15 main stop -m fast\"")
    String stop;
    @Option(names = "--start", description = "command that starts it again, e.g. \"pg_ctlcluster 15 main start\"")
    String start;
    @Option(names = "--data-dir", description = "data directory of the embedded PostgreSQL (default: a new temporary one)")
    Path dataDir;
    @Option(names = "--port", defaultValue = "0", description = "port of the embedded PostgreSQL (default: a free one)")
    int port;
    @Option(names = "--docs", description = "write the figures into DIR/reliability.md, section " + SECTION)
    Path docs;

    /**
     * Runs the program and exits with 0 when the guarantees held, 1 when they did not, 2 on bad options.
     *
     * @param args the options above ({@code --help} lists them)
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new DatabaseRestart()).execute(args));
    }

    /**
     * Reads {@code args} as the command line does (a bad option throws
     * {@link CommandLine.ParameterException} naming it).
     *
     * @param args the options
     * @return the program, ready to {@link #run()}
     */
    public static DatabaseRestart parse(String... args) {
        DatabaseRestart program = new DatabaseRestart();
        new CommandLine(program).parseArgs(args);
        program.validate();
        return program;
    }

    @Override
    public Integer call() throws Exception {
        validate();
        DatabaseRestartResult result = run();
        System.out.println();
        System.out.print(result.table());
        System.out.println();
        System.out.print(result.outageLines());
        if (docs != null) {
            ReliabilityReport.replaceSection(docs, SECTION, markdown(result));
            System.out.println("Wrote section " + SECTION + " of " + docs.resolve(ReliabilityReport.FILE));
        }
        return result.guaranteesHeld() ? 0 : 1;
    }

    /**
     * Runs the restarts and counts.
     *
     * @return the figures
     * @throws Exception if the database or a node cannot be started
     */
    public DatabaseRestartResult run() throws Exception {
        return new DatabaseRestartRun(this, System.out).run();
    }

    void validate() {
        check(jobs >= 1 && jobs <= 1_000_000, "--jobs", jobs, "1 to 1000000");
        check(workMs >= 0 && workMs <= 60_000, "--work-ms", workMs, "0 to 60000");
        check(nodes >= 1 && nodes <= 16, "--nodes", nodes, "1 to 16");
        check(threads >= 1 && threads <= 64, "--threads", threads, "1 to 64");
        check(schedules >= 0 && schedules <= 10_000, "--schedules", schedules, "0 to 10000");
        check(every.compareTo(Duration.ofSeconds(1)) >= 0, "--every", every, "1s or more");
        check(!outage.isNegative() && outage.compareTo(Duration.ofMinutes(10)) <= 0, "--outage", outage, "0s to 10min");
        check(port >= 0 && port <= 65_535, "--port", port, "0 to 65535");
        check((stop == null) == (start == null), stop == null ? "--start" : "--stop", stop == null ? start : stop,
                "only together with " + (stop == null ? "--stop" : "--start"));
        if (stop != null) {
            String url = System.getenv("LAMPLIGHTER_DATABASE_URL");
            check(url != null && !url.isBlank(), "LAMPLIGHTER_DATABASE_URL", url,
                    "the URL of the server that --stop and --start restart");
            check(dataDir == null && port == 0, "--data-dir/--port", dataDir != null ? dataDir : port,
                    "only for the embedded PostgreSQL, not with --stop and --start");
        }
    }

    private void check(boolean ok, String option, Object value, String allowed) {
        if (!ok) {
            CommandLine cl = spec != null ? spec.commandLine() : new CommandLine(this);
            throw new CommandLine.ParameterException(cl, option + " = " + value + " is not allowed: expected " + allowed);
        }
    }

    String description() {
        return String.format("%d %s (%d worker threads each, poll loop every 1s), %d schedules launching every %s, "
                        + "%,d jobs of %d ms enqueued at the start; %s", nodes,
                inProcess ? "nodes in one JVM, each on its own connection pool" : "worker processes", threads,
                schedules, dev.lamplighter.worker.internal.config.Durations.human(every), jobs, workMs,
                stop == null ? "embedded PostgreSQL (its own data directory and port), stopped with pg_ctl stop -m fast"
                        : "the server of LAMPLIGHTER_DATABASE_URL, stopped with `" + stop + "`, started with `" + start + "`");
    }

    private String markdown(DatabaseRestartResult r) {
        StringBuilder b = new StringBuilder();
        b.append(ConnectionLoss.runLine("DatabaseRestart", spec)).append(description()).append(".\n\n");
        b.append("```\n").append(r.table()).append("```\n\n");
        b.append(r.guaranteesHeld() ? "Every guarantee held.\n" : "**A guarantee did not hold** (see the figures).\n");
        String lines = r.outageLines();
        if (!lines.isEmpty()) {
            b.append("\nThe lines about the outage (WARN, ERROR, and INFO lines naming a database error or the database coming back; not the ticks and launches of a healthy node) that the nodes wrote from each stop until every loop was back:\n\n```\n").append(lines)
                    .append("```\n");
        }
        return b.toString();
    }
}
