package dev.lamplighter.cli;

import dev.lamplighter.admin.internal.ops.Doctor;
import dev.lamplighter.admin.internal.ops.Explainer;
import dev.lamplighter.admin.internal.ops.ScheduleNotFoundException;
import dev.lamplighter.cli.db.CliSettings;
import dev.lamplighter.cli.db.OperatorConnection;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lamplighter doctor [NAME]}: "jobs not running even when needed" as a command. Each
 * finding on one line with what to do; exit code 0 when nothing needs attention, 1 otherwise. The
 * checks are {@link Doctor}'s, which the admin API's {@code GET /api/doctor} runs too.
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
        Explainer explainer = noConditions ? null
                : new Explainer(ExplainCommand.launchers(), settings.node().conditionRole(), main.clock);
        Doctor doctor = new Doctor(settings.node().pollInterval(), NodesCommand.LIVE_WITHIN, main.clock, explainer, "this CLI");
        List<Doctor.Finding> findings;
        try (OperatorConnection db = OperatorConnection.open(settings)) {
            try {
                findings = db.withHandle(h -> doctor.examine(h, name));
            } catch (ScheduleNotFoundException e) {
                OperatorCommands.requireSchedule(db, name);   // throws, listing the names
                throw e;
            }
        }
        long attention = Doctor.attention(findings);
        if (json) {
            Json.printValue(main.out, Doctor.report(findings));
        } else {
            findings.stream().filter(f -> !quiet || f.severity() == Doctor.Severity.ATTENTION)
                    .forEach(f -> main.out.println(f.line()));
            main.out.println(attention == 0 ? "Healthy: nothing needs attention."
                    : attention + (attention == 1 ? " finding needs" : " findings need") + " attention.");
        }
        return attention == 0 ? Main.EXIT_OK : Main.EXIT_ATTENTION;
    }
}
