package dev.lamplighter.chaos;

import dev.lamplighter.chaos.racing.InProcessRace;
import dev.lamplighter.chaos.racing.Machine;
import dev.lamplighter.chaos.racing.ProcessRace;
import dev.lamplighter.chaos.racing.ProgramDatabase;
import dev.lamplighter.chaos.racing.RaceFigures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Racing pollers: several nodes poll the same schedules at the same moments; every due slot must
 * launch exactly once. Prints slots due, launched, duplicates, misses, ticks led per node and the
 * lock contention; {@code --docs DIR} writes them to the {@code racing-pollers} section of
 * {@code DIR/reliability.md}.
 *
 * <pre>
 * java -cp "chaos/target/lamplighter-chaos-0.2.0.jar:$(cat chaos/target/classpath.txt)" \
 *   dev.lamplighter.chaos.RacingPollers --nodes 5 --schedules 1000 --ticks 100 --docs docs
 * </pre>
 *
 * Against the server in {@code LAMPLIGHTER_DATABASE_URL}, or a throwaway embedded PostgreSQL when
 * it is not set.
 */
@Command(name = "racing-pollers", mixinStandardHelpOptions = true,
        description = {"Races several Lamplighter nodes over the same schedules and counts the launches of every due slot.",
                "in-process: separate connection pools in one JVM, one clock moved one interval per tick.",
                "processes: separate JVMs polling every second on the database's clock."})
public final class RacingPollers implements Callable<Integer> {

    /** The section of docs/reliability.md this program writes. */
    public static final String SECTION = "racing-pollers";

    @Option(names = "--nodes", defaultValue = "5", description = "Nodes racing, 2 to 20 (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--schedules", defaultValue = "1000", description = "Schedules, 1 to 100000 (default ${DEFAULT-VALUE}).")
    int schedules;

    @Option(names = "--ticks", defaultValue = "100",
            description = "Ticks: clock moves in-process, seconds of the 1-second schedules with processes; 1 to 10000 (default ${DEFAULT-VALUE}).")
    int ticks;

    @Option(names = "--variant", defaultValue = "both",
            description = "in-process, processes or both (default ${DEFAULT-VALUE}).")
    String variant;

    @Option(names = "--docs", paramLabel = "DIR", description = "Write the figures to DIR/reliability.md, section racing-pollers.")
    Path docs;

    /**
     * Runs the program.
     *
     * @param args the options ({@code --help} lists them)
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new RacingPollers()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        requireBetween("--nodes", nodes, 2, 20);
        requireBetween("--schedules", schedules, 1, 100_000);
        requireBetween("--ticks", ticks, 1, 10_000);
        if (!List.of("in-process", "processes", "both").contains(variant)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--variant = \"" + variant
                    + "\" is not allowed: expected in-process, processes or both");
        }
        double loadBefore = Machine.load();
        Machine.quietLogs();
        List<RaceFigures> results = new ArrayList<>();
        try (ProgramDatabase db = ProgramDatabase.open()) {
            System.out.println("Racing pollers against " + db.description());
            if (!variant.equals("processes")) {
                AtomicReference<Instant> now = new AtomicReference<>(Instant.now().truncatedTo(ChronoUnit.MINUTES));
                Clock clock = new Clock() {
                    @Override
                    public java.time.ZoneId getZone() {
                        return ZoneOffset.UTC;
                    }

                    @Override
                    public Clock withZone(java.time.ZoneId zone) {
                        return this;
                    }

                    @Override
                    public Instant instant() {
                        return now.get();
                    }
                };
                RaceFigures r = new InProcessRace(db.url(), nodes, schedules, ticks, clock,
                        d -> now.updateAndGet(t -> t.plus(d))).run();
                System.out.print(r.text());
                results.add(r);
            }
            if (!variant.equals("in-process")) {
                Path logs = Files.createTempDirectory("lamplighter-racing-pollers");
                RaceFigures r = new ProcessRace(db.url(), nodes, schedules, ticks, logs).run();
                System.out.print(r.text());
                System.out.println("  node logs in " + logs);
                results.add(r);
            }
        }
        String machine = Machine.describe(loadBefore);
        System.out.println(machine);
        if (docs != null) {
            ReliabilityReport.replaceSection(docs, SECTION, section(results, machine));
            System.out.println("Wrote section " + SECTION + " of " + docs.resolve(ReliabilityReport.FILE));
        }
        boolean clean = results.stream().allMatch(r -> r.duplicates() == 0 && r.misses() - r.heldBack() == 0);
        return clean ? 0 : 1;
    }

    private void requireBetween(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new CommandLine.ParameterException(new CommandLine(this), name + " = " + value
                    + " is not allowed: expected " + min + " to " + max);
        }
    }

    private String section(List<RaceFigures> results, String machine) {
        StringBuilder out = new StringBuilder();
        out.append("Command: `java -cp \"chaos/target/lamplighter-chaos-0.2.0.jar:$(cat chaos/target/classpath.txt)\" "
                + "dev.lamplighter.chaos.RacingPollers --nodes ").append(nodes).append(" --schedules ").append(schedules)
                .append(" --ticks ").append(ticks).append(" --variant ").append(variant).append(" --docs docs`\n\n");
        out.append("Machine: ").append(machine).append(".\n\n");
        out.append("| variant | nodes | schedules | ticks | slots due | launched | duplicates | misses | slots checked twice | lock contention (ticks skipped) | took |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RaceFigures r : results) {
            out.append(r.markdownRow()).append('\n');
        }
        for (RaceFigures r : results) {
            out.append("\nTicks per node, ").append(r.variant()).append(" (held back by the one-instance rule: ")
                    .append(r.heldBack()).append("; failed checks: ").append(r.failedChecks())
                    .append("; jobs without a launch decision: ").append(r.unlogged()).append("):\n\n");
            out.append(r.markdownTicks());
        }
        return out.toString();
    }
}
