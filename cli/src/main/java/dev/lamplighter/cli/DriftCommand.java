package dev.lamplighter.cli;

import dev.lamplighter.admin.internal.ops.Drift;
import dev.lamplighter.cli.db.OperatorConnection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lamplighter drift}: schedules declared in code versus the rows in the table. A column an
 * operator changed by SQL since code declared it ({@code scheduled_jobs.declared}) is shown with
 * the declared and the stored value; rows no code declared, schedules a live node declares (its
 * {@code nodes.declared_schedules}) that have no row, rows no live node declares, and rows whose
 * launcher no live node has, are listed too, each with the live nodes that declare it. Exit code 0
 * when there is no drift, 1 when there is. The findings are {@link Drift}'s, which the admin API's
 * {@code GET /api/drift} gives too.
 */
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = {"Compares the schedules declared in code with the rows in lamplighter.scheduled_jobs:",
                "columns an operator changed by SQL (declared and stored value), rows no code declared,",
                "schedules declared on a live node but missing in the table, rows no live node declares,",
                "rows whose launcher no live node has. Exit code 0 no drift, 1 drift."})
final class DriftCommand implements Callable<Integer> {

    static final List<String> COLUMNS = Drift.COLUMNS;

    @ParentCommand
    Main main;

    @Option(names = "--json", description = "Print a JSON array of findings (declared and stored values as JSON).")
    boolean json;

    @Override
    public Integer call() {
        List<Map<String, Object>> rows;
        try (OperatorConnection db = OperatorConnection.open(main.settings())) {
            Drift drift = new Drift(NodesCommand.LIVE_WITHIN, main.clock);
            rows = db.withHandle(drift::findings);
        }
        if (json) {
            Json.printValue(main.out, Drift.json(rows));
        } else {
            Table.print(main.out, COLUMNS, rows);
        }
        return rows.isEmpty() ? Main.EXIT_OK : Main.EXIT_ATTENTION;
    }
}
