package dev.lamplighter.chaos;

import dev.lamplighter.chaos.killed.KillFigures;
import dev.lamplighter.chaos.killed.KillRun;
import dev.lamplighter.chaos.racing.Machine;
import dev.lamplighter.chaos.racing.ProgramDatabase;
import dev.lamplighter.worker.LamplighterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Killed workers: worker processes run jobs that record each of their runs in a table of their own;
 * one worker holding jobs is killed with SIGKILL again and again, and restarted at once. Prints jobs
 * completed, lost (must be 0), run more than once (each must be a job the killed worker held, matched
 * to its rescue), time from kill to rescue, and a worker's start-up time; {@code --docs DIR} writes
 * them to the {@code killed-workers} section of {@code DIR/reliability.md}.
 *
 * <pre>
 * java -cp "chaos/target/lamplighter-chaos-0.2.0.jar:$(cat chaos/target/classpath.txt)" \
 *   dev.lamplighter.chaos.KilledWorkers --workers 4 --jobs 10000 --kills 10 --docs docs
 * </pre>
 *
 * Against the server in {@code LAMPLIGHTER_DATABASE_URL}, or a throwaway embedded PostgreSQL when
 * it is not set.
 */
@Command(name = "killed-workers", mixinStandardHelpOptions = true,
        description = {"Kills worker processes with SIGKILL while they run jobs, restarts them, and checks that every job",
                "ran to completion, and that only jobs a killed worker held ran again, each after its rescue."})
public final class KilledWorkers implements Callable<Integer> {

    /** The section of docs/reliability.md this program writes. */
    public static final String SECTION = "killed-workers";

    @Option(names = "--workers", defaultValue = "4", description = "Worker processes, 1 to 16 (default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--jobs", defaultValue = "10000", description = "Jobs, 1 to 1000000 (default ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--kills", defaultValue = "10", description = "kill -9s, 0 to 100, spread evenly over the run (default ${DEFAULT-VALUE}).")
    int kills;

    @Option(names = "--work-ms", defaultValue = "5", description = "Each job's work in ms, 0 to 10000 (default ${DEFAULT-VALUE}).")
    long workMs;

    @Option(names = "--lease", defaultValue = "5s",
            description = "The workers' LAMPLIGHTER_JOB_LEASE, 5s to 10m (default ${DEFAULT-VALUE}): a killed worker's jobs wait this long.")
    String lease;

    @Option(names = "--docs", paramLabel = "DIR", description = "Write the figures to DIR/reliability.md, section killed-workers.")
    Path docs;

    /**
     * Runs the program.
     *
     * @param args the options ({@code --help} lists them)
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new KilledWorkers()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        requireBetween("--workers", workers, 1, 16);
        requireBetween("--jobs", jobs, 1, 1_000_000);
        requireBetween("--kills", kills, 0, 100);
        requireBetween("--work-ms", workMs, 0, 10_000);
        Duration leaseDuration;
        try {
            leaseDuration = dev.lamplighter.worker.internal.config.Durations.parse("--lease", lease);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        if (leaseDuration.compareTo(LamplighterConfig.MIN_JOB_LEASE) < 0 || leaseDuration.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--lease = \"" + lease
                    + "\" is not allowed: expected 5s to 10m");
        }
        double loadBefore = Machine.load();
        Machine.quietLogs();
        KillFigures figures;
        try (ProgramDatabase db = ProgramDatabase.open()) {
            System.out.println("Killed workers against " + db.description());
            Path logs = Files.createTempDirectory("lamplighter-killed-workers");
            figures = new KillRun(db.url(), workers, jobs, kills, workMs, leaseDuration, logs).run();
            System.out.print(figures.text());
            System.out.println("  worker logs in " + logs);
        }
        String machine = Machine.describe(loadBefore);
        System.out.println(machine);
        if (docs != null) {
            ReliabilityReport.replaceSection(docs, SECTION, section(figures, machine));
            System.out.println("Wrote section " + SECTION + " of " + docs.resolve(ReliabilityReport.FILE));
        }
        boolean clean = figures.lost() == 0 && figures.unexplainedReruns() == 0 && figures.sameAttemptTwice() == 0
                && figures.completedUnrun() == 0;
        return clean ? 0 : 1;
    }

    private void requireBetween(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new CommandLine.ParameterException(new CommandLine(this), name + " = " + value
                    + " is not allowed: expected " + min + " to " + max);
        }
    }

    private String section(KillFigures f, String machine) {
        StringBuilder out = new StringBuilder();
        out.append("Command: `java -cp \"chaos/target/lamplighter-chaos-0.2.0.jar:$(cat chaos/target/classpath.txt)\" "
                + "dev.lamplighter.chaos.KilledWorkers --workers ").append(workers).append(" --jobs ").append(jobs)
                .append(" --kills ").append(kills).append(" --work-ms ").append(workMs).append(" --lease ").append(lease)
                .append(" --docs docs`\n\n");
        out.append("Machine: ").append(machine).append(".\n\n");
        out.append("| figure | value |\n|---|---:|\n");
        row(out, "jobs", String.valueOf(f.jobs()));
        row(out, "completed", String.valueOf(f.completed()));
        row(out, "failed", String.valueOf(f.failed()));
        row(out, "**lost**", "**" + f.lost() + "**");
        row(out, "jobs held by the killed workers (running or prefetched)", String.valueOf(f.inFlightAtKills()));
        row(out, "jobs run more than once", String.valueOf(f.runMoreThanOnce()));
        row(out, "runs before a job's last attempt", String.valueOf(f.earlierExecutions()));
        row(out, "... of those, on a killed worker and rescued from it", String.valueOf(f.matchedToRescue()));
        row(out, "**runs again that no kill explains**", "**" + f.unexplainedReruns() + "**");
        row(out, "attempts run twice", String.valueOf(f.sameAttemptTwice()));
        row(out, "kill to rescue, p50 / max (lease " + lease + ")", seconds(f.killToRescueP50()) + " / " + seconds(f.killToRescueMax()));
        row(out, "worker start to first claim, p50 / max (" + f.starts().size() + " starts)",
                String.format(Locale.ROOT, "%.2f s / %.2f s", f.startP50(),
                        f.starts().stream().mapToDouble(s -> s.total()).max().orElse(Double.NaN)));
        out.append("\nEach kill, in order (time from the kill to the rescue of the first and of the last job the worker held):\n\n");
        out.append(f.markdownKills());
        out.append("\nWhere a worker's start goes:\n\n");
        out.append(f.markdownStarts());
        out.append(String.format(Locale.ROOT, """

                What the start costs: the JVM itself is up in %.2f s; the rest is loading and first running the
                classes of Logback, HikariCP and pgjdbc with the first connection (the pool step), Flyway
                (%.2f s to validate a schema with nothing to apply), then Jdbi and the node's services
                (`Lamplighter.start()`: schema check, registrations, heartbeat, LISTEN, loops), on CPUs shared
                with the other workers and the database. What would cut it: `LAMPLIGHTER_MIGRATE=false` on
                workers when a deploy step migrates once (the Flyway step); a class-data-sharing archive of the
                node's classes (`java -XX:ArchiveClassesAtExit=node.jsa` once, then `-XX:SharedArchiveFile=node.jsa`),
                which maps the classes of every step from disk instead of loading them; fewer processes per CPU.
                A killed worker's jobs do not wait for its successor: any live node's rescuer takes them back
                once their lease has run out.
                """, f.startQuantile(s -> s.jvm(), 0.5), f.startQuantile(s -> s.flyway(), 0.5)));
        return out.toString();
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    private static String seconds(Duration d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.2f s", d.toMillis() / 1000.0);
    }
}
