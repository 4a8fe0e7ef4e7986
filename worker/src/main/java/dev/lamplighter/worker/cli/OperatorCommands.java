package dev.lamplighter.worker.cli;

import dev.lamplighter.TriggerSource;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.internal.db.DatabaseStarter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The operator's commands: the same views and changes as the SQL cookbook. */
final class OperatorCommands {

    private static final String STATUS = SqlFiles.load("cli/status");
    private static final String HISTORY = SqlFiles.load("cli/history");
    private static final String DECISIONS = SqlFiles.load("cli/decisions");
    private static final String ENABLE = SqlFiles.load("cli/enable");
    private static final String DISABLE = SqlFiles.load("cli/disable");

    private OperatorCommands() {
    }

    /** Runs {@code work} against the database from the environment, without migrating. */
    private static <T> T withDatabase(Main main, Function<DatabaseStarter, T> work) {
        try (DatabaseStarter db = main.startDatabase(main.config())) {
            return work.apply(db);
        }
    }

    private static Jdbi jdbi(DatabaseStarter db) {
        return db.database().jdbi();
    }

    private static void requireSchedule(DatabaseStarter db, String name) {
        boolean exists = jdbi(db).withHandle(h -> h.createQuery(
                "SELECT EXISTS (SELECT 1 FROM lamplighter.scheduled_jobs WHERE name = :name)")
                .bind("name", name).mapTo(Boolean.class).one());
        if (!exists) {
            List<String> names = jdbi(db).withHandle(h -> h.createQuery(
                    "SELECT name FROM lamplighter.scheduled_jobs ORDER BY name").mapTo(String.class).list());
            throw new Main.CliException("no schedule named '" + name + "': expected one of " + names, 1);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Lists every schedule and its last check.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Override
        public Integer call() {
            List<Map<String, Object>> rows = withDatabase(main, db -> jdbi(db).withHandle(h -> h.createQuery(STATUS).mapToMap().list()));
            Table.print(main.out, List.of("name", "schedule", "time_zone", "enabled", "last_run", "last_success", "next_run",
                    "last_outcome", "retry_count", "launcher_registered", "active_jobs", "last_error"), rows);
            return 0;
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

        @Override
        public Integer call() {
            if (limit < 1 || limit > 10_000) {
                throw new IllegalArgumentException("--limit = " + limit + " is not allowed: expected 1 to 10000");
            }
            List<Map<String, Object>> rows = withDatabase(main, db -> jdbi(db).withHandle(h -> h.createQuery(HISTORY)
                    .bind("schedule", schedule).bind("limit", limit).mapToMap().list()));
            Table.print(main.out, List.of("job_id", "job_type", "status", "schedule_name", "job_source", "attempts",
                    "created_at", "completed_at", "last_error"), rows);
            return 0;
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

        @Override
        public Integer call() {
            if (limit < 1 || limit > 10_000) {
                throw new IllegalArgumentException("--limit = " + limit + " is not allowed: expected 1 to 10000");
            }
            List<Map<String, Object>> rows = withDatabase(main, db -> {
                requireSchedule(db, name);
                return jdbi(db).withHandle(h -> h.createQuery(DECISIONS).bind("name", name).bind("limit", limit).mapToMap().list());
            });
            Table.print(main.out, List.of("decided_at", "outcome", "reason", "figures", "job_id", "trigger_source", "duration_ms"), rows);
            return 0;
        }
    }

    /** Checks that the schedule exists, applies {@code change}, and says what happened. */
    private static int change(Main main, String name, Function<DatabaseStarter, ?> change, String done) {
        withDatabase(main, db -> {
            requireSchedule(db, name);
            return change.apply(db);
        });
        main.out.println("Schedule '" + name + "' " + done);
        return 0;
    }

    private static Function<DatabaseStarter, ?> update(String sql, String name) {
        return db -> jdbi(db).withHandle(h -> h.createUpdate(sql).bind("name", name).execute());
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
            return change(main, name, db -> LamplighterClient.create(db.database().dataSource()).trigger(name, TriggerSource.MANUAL),
                    "is due now; a running node checks it at once.");
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
            return change(main, name, update(ENABLE, name), "is enabled (retry_count = 0).");
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
            return change(main, name, update(DISABLE, name), "is disabled.");
        }
    }
}
