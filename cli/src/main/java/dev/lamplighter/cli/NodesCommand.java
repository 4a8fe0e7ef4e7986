package dev.lamplighter.cli;

import dev.lamplighter.cli.db.OperatorConnection;
import dev.lamplighter.internal.SqlFiles;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lamplighter nodes}: the nodes table, the leader of the last tick first: who is live, who
 * led the last tick, each node's capabilities, launchers and handler types.
 */
@Command(name = "nodes", mixinStandardHelpOptions = true,
        description = {"Lists the nodes: live (heartbeat within 90 s) or not, who led the last tick, drain",
                "(draining or drained), the singleton services each runs, their capabilities, launchers,",
                "handler types and declared schedules; first, a PAUSED line while the cluster is paused."})
final class NodesCommand implements Callable<Integer> {

    /** A node is live when its heartbeat (every 30 s) is younger than this, as the admin API's /health says. */
    static final Duration LIVE_WITHIN = Duration.ofSeconds(90);

    static final String NODES = SqlFiles.load("cli/nodes");

    static final List<String> COLUMNS = List.of("node_id", "hostname", "pid", "version", "started_at", "last_seen_at",
            "seen_seconds_ago", "live", "last_led_tick_at", "led_last_tick", "singletons", "drain", "drain_requested_at",
            "drained_at", "capabilities", "launchers", "job_types", "declared_schedules");

    @ParentCommand
    Main main;

    @Option(names = "--json", description = "Print a JSON array instead of a table (arrays as JSON arrays).")
    boolean json;

    /** The node rows, read with the command's clock. */
    static List<Map<String, Object>> read(OperatorConnection db, Main main) {
        Map<String, Object> params = new HashMap<>();
        params.put("now", main.clock == null ? null : main.clock.instant());
        params.put("liveMs", LIVE_WITHIN.toMillis());
        return db.query(NODES, params);
    }

    @Override
    public Integer call() {
        List<Map<String, Object>> rows;
        String paused;
        try (OperatorConnection db = OperatorConnection.open(main.settings())) {
            rows = read(db, main);
            paused = ClusterCommands.pauseBanner(ClusterCommands.pauseState(db));
        }
        if (paused != null && !json) {
            main.out.println(paused);
        }
        if (json) {
            Json.print(main.out, COLUMNS, rows, Set.of());
        } else {
            Table.print(main.out, COLUMNS, rows);
        }
        return Main.EXIT_OK;
    }
}
