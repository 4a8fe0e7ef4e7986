package dev.lamplighter.cli;

import dev.lamplighter.admin.internal.ops.Explainer;
import dev.lamplighter.admin.internal.ops.Launchers;
import dev.lamplighter.cli.db.CliSettings;
import dev.lamplighter.cli.db.OperatorConnection;
import dev.lamplighter.cli.demo.Demo;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lamplighter explain NAME}: what the schedule's launcher would decide now, with its reason
 * and figures, evaluated in a transaction that is rolled back (see {@link Explainer}, which the
 * admin API's {@code GET /api/schedules/{name}/explain} runs too).
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Evaluates a schedule's launcher now, as the poll loop would, in a transaction that is",
                "rolled back: prints the decision (launch or skip), its reason and figures.",
                "Nothing is launched, claimed or recorded."})
final class ExplainCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Parameters(paramLabel = "SCHEDULE")
    String name;

    @Option(names = "--json", description = "Print the explanation as a JSON object.")
    boolean json;

    /**
     * The launchers {@code lamplighter run} would have on this classpath: the built-ins, the demo's,
     * then ServiceLoader's (a later one wins on a name); a missing one is "not on this CLI's classpath".
     */
    static Launchers launchers() {
        return new Launchers(Launchers.discover(Thread.currentThread().getContextClassLoader(), Demo.launchers()),
                "this CLI's classpath",
                "run the CLI with the jar that holds it, java -cp lamplighter-cli-all.jar:your-jobs.jar "
                        + "dev.lamplighter.cli.Main explain %s",
                "run doctor with your jar: java -cp lamplighter-cli-all.jar:your-jobs.jar dev.lamplighter.cli.Main doctor");
    }

    @Override
    public Integer call() {
        CliSettings settings = main.settings();
        Explainer explainer = new Explainer(launchers(), settings.node().conditionRole(), main.clock);
        Map<String, Object> result;
        try (OperatorConnection db = OperatorConnection.open(settings)) {
            Map<String, Object> row = db.withHandle(h -> explainer.row(h, name)).orElseGet(() -> {
                OperatorCommands.requireSchedule(db, name);   // throws, listing the names
                throw new IllegalStateException("schedule '" + name + "' vanished while it was read");
            });
            result = db.withHandle(h -> explainer.explain(h, row));
        }
        if (json) {
            Json.printValue(main.out, result);
        } else {
            print(result);
        }
        Explainer.Outcome outcome = Explainer.outcome(result);
        return outcome == Explainer.Outcome.LAUNCH || outcome == Explainer.Outcome.SKIP ? Main.EXIT_OK : Main.EXIT_ATTENTION;
    }

    private void print(Map<String, Object> r) {
        main.out.println("Schedule '" + r.get("schedule") + "' (launcher " + r.get("launcher") + ", job type " + r.get("job_type")
                + (Boolean.TRUE.equals(r.get("enabled")) ? "" : ", DISABLED") + ")");
        line("evaluated at", r.get("evaluated_at") + " (slot " + r.get("slot") + ", trigger " + r.get("trigger_source") + ")");
        line("decision", r.get("outcome"));
        line("reason", r.get("reason"));
        if (r.containsKey("figures")) {
            line("figures", json(r.get("figures")));
        }
        if (r.containsKey("payload")) {
            line("payload", json(r.get("payload")));
        }
        line("would", r.get("would"));
        if (r.get("next_check") != null) {
            line("next check", r.get("next_check") + " (on the timetable, after this slot)");
        }
        if (r.containsKey("rolled_back")) {
            line("transaction", "rolled back: nothing was launched, claimed or recorded");
        }
    }

    private void line(String label, Object value) {
        main.out.println(String.format("  %-12s %s", label + ":", value));
    }

    private static String json(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
