package dev.lamplighter.chaos.restart;

import dev.lamplighter.chaos.ReliabilityReport;
import dev.lamplighter.worker.internal.db.ConnectionInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Cuts a node's database connection ({@code pg_terminate_backend}) at an exact moment, N times,
 * and prints what became of the slot or the job:
 *
 * <ol>
 *   <li>the poll loop's check is held inside the launcher (a latch), its connection is terminated,
 *       the check is released: the slot must be checked again and launched once;</li>
 *   <li>the same, with every connection of the polling node terminated (the tick lock's, the
 *       check's, LISTEN, the idle ones);</li>
 *   <li>a handler is held while it runs and every connection of the worker node is terminated (the
 *       claim's, the lease heartbeat's, the idle ones), then it returns: the job must complete once,
 *       never be recorded as failed because of the lost connection.</li>
 * </ol>
 *
 * <p>Counts per case: slots or jobs lost, duplicated, recorded as failed, WARN and ERROR lines
 * logged. The database is {@code LAMPLIGHTER_DATABASE_URL} if set, else an embedded PostgreSQL.
 *
 * <pre>
 * java -cp "chaos/target/lamplighter-chaos-0.2.0.jar:$(cat chaos/target/classpath.txt)" \
 *   dev.lamplighter.chaos.restart.ConnectionLoss --rounds 20
 * </pre>
 */
@Command(name = "ConnectionLoss", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Terminates a node's connection in the middle of a check or a job and prints what became of it.")
public final class ConnectionLoss implements Callable<Integer> {

    /** The section of docs/reliability.md this program writes. */
    public static final String SECTION = "connection-loss";

    @Spec
    CommandSpec spec;

    @Option(names = "--rounds", defaultValue = "20", description = "rounds of each case (default: ${DEFAULT-VALUE})")
    int rounds;
    @Option(names = "--docs", description = "write the figures into DIR/reliability.md, section " + SECTION)
    Path docs;

    /**
     * Runs the program; exits 0 when the guarantees held, 1 when not, 2 on bad options.
     *
     * @param args the options above ({@code --help} lists them)
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ConnectionLoss()).execute(args));
    }

    /**
     * Reads {@code args} as the command line does.
     *
     * @param args the options
     * @return the program, ready to {@link #run(String, String, String)}
     */
    public static ConnectionLoss parse(String... args) {
        ConnectionLoss program = new ConnectionLoss();
        new CommandLine(program).parseArgs(args);
        program.validate();
        return program;
    }

    @Override
    public Integer call() throws Exception {
        validate();
        String url = System.getenv("LAMPLIGHTER_DATABASE_URL");
        ConnectionLossResult result;
        if (url != null && !url.isBlank()) {
            ConnectionInfo info = ConnectionInfo.parse("LAMPLIGHTER_DATABASE_URL", url);
            result = run(info.jdbcUrl(), info.user(), info.password());
        } else {
            Path dir = Files.createTempDirectory("lamplighter-connection-loss-pg");
            try (RestartableServer server = RestartableServer.start(dir, 0)) {
                result = run(server.jdbcUrl(), server.user(), null);
            }
        }
        System.out.println();
        System.out.print(result.table());
        System.out.println();
        System.out.print(result.firstRoundLines());
        if (docs != null) {
            ReliabilityReport.replaceSection(docs, SECTION, markdown(result));
            System.out.println("Wrote section " + SECTION + " of " + docs.resolve(ReliabilityReport.FILE));
        }
        return result.guaranteesHeld() ? 0 : 1;
    }

    /**
     * Runs every case {@code --rounds} times against a database.
     *
     * @param jdbcUrl the database
     * @param user its user
     * @param password its password, or null
     * @return the figures
     * @throws Exception if the nodes cannot be started
     */
    public ConnectionLossResult run(String jdbcUrl, String user, String password) throws Exception {
        return new ConnectionLossRun(rounds, System.out).run(new ConnectionInfo(jdbcUrl, user, password));
    }

    void validate() {
        if (rounds < 1 || rounds > 1000) {
            CommandLine cl = spec != null ? spec.commandLine() : new CommandLine(this);
            throw new CommandLine.ParameterException(cl, "--rounds = " + rounds + " is not allowed: expected 1 to 1000");
        }
    }

    /** The command and the machine of a run, for the docs: "`java ... Program args`, run on DATE, N CPUs (...), JDK V: ". */
    static String runLine(String program, CommandSpec spec) {
        String args = spec == null ? "" : " " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return "`java -cp \"chaos/target/lamplighter-chaos-0.2.0.jar:$(cat chaos/target/classpath.txt)\" "
                + "dev.lamplighter.chaos.restart." + program + args + "`\n\nRun on " + LocalDate.now(ZoneOffset.UTC) + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs"
                + (load > Runtime.getRuntime().availableProcessors() ? String.format(java.util.Locale.ROOT,
                        " (load average %.1f at the end: the machine was shared with other work)", load) : "")
                + ", JDK " + System.getProperty("java.version") + ": ";
    }

    private String markdown(ConnectionLossResult r) {
        return runLine("ConnectionLoss", spec)
                + "a polling node and a worker node in one JVM, each on its own HikariCP pool; "
                + (System.getenv("LAMPLIGHTER_DATABASE_URL") == null ? "embedded PostgreSQL" : "the server of LAMPLIGHTER_DATABASE_URL")
                + ".\n\n"
                + "```\n" + r.table() + "```\n\n"
                + (r.guaranteesHeld() ? "Every guarantee held.\n" : "**A guarantee did not hold** (see the figures).\n")
                + "\nWhat the nodes logged in the first round of each case:\n\n```\n" + r.firstRoundLines() + "```\n";
    }
}
