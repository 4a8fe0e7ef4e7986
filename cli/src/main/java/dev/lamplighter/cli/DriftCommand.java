package dev.lamplighter.cli;

import dev.lamplighter.cli.db.OperatorConnection;
import dev.lamplighter.internal.SqlFiles;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * when there is no drift, 1 when there is.
 */
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = {"Compares the schedules declared in code with the rows in lamplighter.scheduled_jobs:",
                "columns an operator changed by SQL (declared and stored value), rows no code declared,",
                "schedules declared on a live node but missing in the table, rows no live node declares,",
                "rows whose launcher no live node has. Exit code 0 no drift, 1 drift."})
final class DriftCommand implements Callable<Integer> {

    private static final String DRIFT = SqlFiles.load("cli/drift");
    static final List<String> COLUMNS = List.of("name", "kind", "column", "declared", "stored", "nodes", "meaning");

    @ParentCommand
    Main main;

    @Option(names = "--json", description = "Print a JSON array of findings (declared and stored values as JSON).")
    boolean json;

    @Override
    public Integer call() {
        List<Map<String, Object>> rows;
        try (OperatorConnection db = OperatorConnection.open(main.settings())) {
            Map<String, Object> params = new HashMap<>();
            params.put("now", main.clock == null ? null : main.clock.instant());
            params.put("liveMs", NodesCommand.LIVE_WITHIN.toMillis());
            rows = db.query(DRIFT, params).stream().map(DriftCommand::finding).toList();
        }
        if (json) {
            Json.print(main.out, COLUMNS, rows, Set.of("declared", "stored"));
        } else {
            Table.print(main.out, COLUMNS, rows);
        }
        return rows.isEmpty() ? Main.EXIT_OK : Main.EXIT_ATTENTION;
    }

    private static Map<String, Object> finding(Map<String, Object> r) {
        Map<String, Object> m = new LinkedHashMap<>();
        String kind = (String) r.get("kind");
        m.put("name", r.get("name"));
        m.put("kind", kind);
        m.put("column", r.get("column_name"));
        m.put("declared", text(r.get("declared_value")));
        m.put("stored", text(r.get("stored_value")));
        m.put("nodes", r.get("nodes") == null ? List.of() : r.get("nodes"));
        m.put("meaning", switch (kind) {
            case "changed" -> "changed by SQL, kept across restarts";
            case "sql_only" -> "written by SQL, no code declared it";
            case "missing" -> "declared on live node(s) " + r.get("nodes") + " but missing in the table (deleted by SQL; "
                    + "a restart of the node inserts it again)";
            case "not_declared" -> "a row no live node declares (its code is gone, or its nodes are down)";
            default -> "no live node has its launcher";
        });
        return m;
    }

    private static String text(Object jsonb) {
        return jsonb == null ? null : jsonb.toString();
    }
}
