package dev.lamplighter.cli;

import dev.lamplighter.cli.db.CliSettings;
import dev.lamplighter.cli.db.OperatorConnection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lamplighter doctor [NAME]}: "jobs not running even when needed" as a command. Each
 * finding on one line with what to do; exit code 0 when nothing needs attention, 1 otherwise.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Checks why jobs might not run: for each schedule (or one), enabled, next_run behind,",
                "retries and last error, the conditions now (explain), a live node with its launcher and",
                "capabilities, a live worker with its handler, jobs awaiting approval; for the cluster, a live",
                "poll loop and queued jobs no node handles. Exit code 0 healthy, 1 something needs attention."})
final class DoctorCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Parameters(paramLabel = "SCHEDULE", arity = "0..1", description = "Only this schedule (and the cluster's checks).")
    String name;

    @Option(names = "--no-conditions", description = "Do not evaluate the launchers (explain); read the tables only.")
    boolean noConditions;

    @Option(names = "--quiet", description = "Print only the findings that need attention (and the summary).")
    boolean quiet;

    @Option(names = "--json", description = "Print {healthy, attention, findings: [...]} as a JSON object.")
    boolean json;

    @Override
    public Integer call() {
        CliSettings settings = main.settings();
        Explainer explainer = noConditions ? null : new Explainer(
                Explainer.discover(Thread.currentThread().getContextClassLoader()), settings.node().conditionRole(), main.clock);
        Doctor doctor = new Doctor(settings.node().pollInterval(), NodesCommand.LIVE_WITHIN, main.clock, explainer);
        List<Doctor.Finding> findings;
        try (OperatorConnection db = OperatorConnection.open(settings)) {
            findings = doctor.examine(db, name);
        }
        long attention = findings.stream().filter(f -> f.severity() == Doctor.Severity.ATTENTION).count();
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("healthy", attention == 0);
            result.put("attention", attention);
            result.put("findings", findings.stream().map(Doctor.Finding::json).toList());
            Json.printValue(main.out, result);
        } else {
            findings.stream().filter(f -> !quiet || f.severity() == Doctor.Severity.ATTENTION)
                    .forEach(f -> main.out.println(f.line()));
            main.out.println(attention == 0 ? "Healthy: nothing needs attention."
                    : attention + (attention == 1 ? " finding needs" : " findings need") + " attention.");
        }
        return attention == 0 ? Main.EXIT_OK : Main.EXIT_ATTENTION;
    }
}
