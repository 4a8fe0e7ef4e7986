package dev.lamplighter.cli;

import dev.lamplighter.TriggerSource;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.cli.db.OperatorConnection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The operator's commands: the same views and changes as the SQL cookbook. None of them migrates;
 * each checks that the schema is at this build's version first. Results go to stdout (a table,
 * or JSON with {@code --json}); logs and errors go to stderr.
 */
final class OperatorCommands {

    private static final String STATUS = SqlFiles.load("cli/status");
    private static final String HISTORY = SqlFiles.load("cli/history");
    private static final String HISTORY_OF_SCHEDULE = SqlFiles.load("cli/history_of_schedule");
    private static final String DECISIONS = SqlFiles.load("cli/decisions");
    private static final String ENABLE = SqlFiles.load("cli/enable");
    private static final String DISABLE = SqlFiles.load("cli/disable");
    private static final String SCHEDULE_STATE = SqlFiles.load("cli/schedule_state");
    private static final String SCHEDULE_NAMES = SqlFiles.load("cli/schedule_names");

    private static final List<String> STATUS_COLUMNS = List.of("name", "schedule", "time_zone", "enabled", "last_run",
            "last_success", "next_run", "last_outcome", "retry_count", "launcher_registered", "active_jobs", "last_error");
    private static final List<String> HISTORY_COLUMNS = List.of("job_id", "job_type", "status", "schedule_name", "job_source",
            "attempts", "created_at", "completed_at", "last_error");
    private static final List<String> DECISION_COLUMNS = List.of("decided_at", "outcome", "reason", "figures", "job_id",
            "trigger_source", "duration_ms");

    private OperatorCommands() {
    }

    /** Runs {@code work} against the database from the environment, without migrating. */
    private static <T> T withDatabase(Main main, Function<OperatorConnection, T> work) {
        try (OperatorConnection db = OperatorConnection.open(main.settings())) {
            return work.apply(db);
        }
    }

    /** Whether the schedule is enabled; exit code 1 with the known names if there is no such schedule. */
    static boolean requireSchedule(OperatorConnection db, String name) {
        List<Map<String, Object>> state = db.query(SCHEDULE_STATE, Map.of("name", name));
        if (state.isEmpty()) {
            List<Object> names = db.query(SCHEDULE_NAMES, Map.of()).stream().map(r -> r.get("name")).toList();
            throw new Main.CliException("no schedule named '" + name + "': expected one of " + names, Main.EXIT_ATTENTION);
        }
        return Boolean.TRUE.equals(state.get(0).get("enabled"));
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("--limit = " + limit + " is not allowed: expected 1 to 10000");
        }
    }

    private static void print(Main main, boolean json, List<String> columns, List<Map<String, Object>> rows, Set<String> jsonColumns) {
        if (json) {
            Json.print(main.out, columns, rows, jsonColumns);
        } else {
            Table.print(main.out, columns, rows);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Lists every schedule and its last check; first, a PAUSED line while the cluster is paused.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Option(names = "--json", description = "Print a JSON array instead of a table.")
        boolean json;

        @Override
        public Integer call() {
            String[] paused = new String[1];
            List<Map<String, Object>> rows = withDatabase(main, db -> {
                paused[0] = ClusterCommands.pauseBanner(ClusterCommands.pauseState(db));
                return db.query(STATUS, Map.of());
            });
            if (paused[0] != null && !json) {
                main.out.println(paused[0]);
            }
            print(main, json, STATUS_COLUMNS, rows, Set.of());
            return Main.EXIT_OK;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Lists recent jobs, newest first.")
    static final class History implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Option(names = "--limit", defaultValue = "20", description = "How many jobs (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--schedule", description = "Only jobs launched by this schedule.")
        String schedule;

        @Option(names = "--json", description = "Print a JSON array instead of a table.")
        boolean json;

        @Override
        public Integer call() {
            checkLimit(limit);
            List<Map<String, Object>> rows = withDatabase(main, db -> {
                if (schedule == null) {
                    return db.query(HISTORY, Map.of("limit", limit));
                }
                requireSchedule(db, schedule);
                return db.query(HISTORY_OF_SCHEDULE, Map.of("schedule", schedule, "limit", limit));
            });
            print(main, json, HISTORY_COLUMNS, rows, Set.of());
            return Main.EXIT_OK;
        }
    }

    @Command(name = "decisions", mixinStandardHelpOptions = true,
            description = "Lists a schedule's recent checks: launched, skipped or failed, why, and the figures.")
    static final class Decisions implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Parameters(paramLabel = "SCHEDULE")
        String name;

        @Option(names = "--limit", defaultValue = "20", description = "How many checks (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "Print a JSON array instead of a table (figures as JSON objects).")
        boolean json;

        @Override
        public Integer call() {
            checkLimit(limit);
            List<Map<String, Object>> rows = withDatabase(main, db -> {
                requireSchedule(db, name);
                return db.query(DECISIONS, Map.of("name", name, "limit", limit));
            });
            print(main, json, DECISION_COLUMNS, rows, Set.of("figures"));
            return Main.EXIT_OK;
        }
    }

    private static Function<OperatorConnection, ?> update(String sql, String name) {
        return db -> db.update(sql, Map.of("name", name));
    }

    @Command(name = "trigger", mixinStandardHelpOptions = true,
            description = "Makes a schedule due now; its launcher still decides whether to launch.")
    static final class Trigger implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Parameters(paramLabel = "SCHEDULE")
        String name;

        @Override
        public Integer call() {
            withDatabase(main, db -> {
                if (!requireSchedule(db, name)) {
                    throw new Main.CliException("schedule '" + name + "' is disabled, so a trigger would do nothing: "
                            + "enable it first (lamplighter enable " + name + ")", Main.EXIT_ATTENTION);
                }
                return LamplighterClient.create(db.dataSource()).trigger(name, TriggerSource.MANUAL);
            });
            main.out.println("Schedule '" + name + "' is due now; a running node checks it at once.");
            return Main.EXIT_OK;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enables a schedule and resets its retry count.")
    static final class Enable implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Parameters(paramLabel = "SCHEDULE")
        String name;

        @Override
        public Integer call() {
            return setEnabled(main, name, ENABLE, "Schedule '" + name + "' is enabled (retry_count = 0).");
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disables a schedule.")
    static final class Disable implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Parameters(paramLabel = "SCHEDULE")
        String name;

        @Override
        public Integer call() {
            return setEnabled(main, name, DISABLE, "Schedule '" + name + "' is disabled.");
        }
    }

    /** enable / disable: the schedule must exist; runs {@code sql} on it and says what it did. */
    private static Integer setEnabled(Main main, String name, String sql, String done) {
        withDatabase(main, db -> {
            requireSchedule(db, name);
            return update(sql, name).apply(db);
        });
        main.out.println(done);
        return Main.EXIT_OK;
    }
}
