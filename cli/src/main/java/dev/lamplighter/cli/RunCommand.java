package dev.lamplighter.cli;

import dev.lamplighter.admin.AdminSettings;
import dev.lamplighter.admin.LamplighterAdmin;
import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.cli.db.CliSettings;
import dev.lamplighter.cli.db.DatabaseStarter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lamplighter run}: a standalone node. Launchers and handlers come from the classpath with
 * ServiceLoader ({@code java -cp lamplighter-cli.jar:your.jar dev.lamplighter.cli.Main run}).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a node: the poll loop and the worker pool, with the launchers and handlers",
                "listed in META-INF/services of the jars on the classpath. Stops on Ctrl-C or --for."})
final class RunCommand implements java.util.concurrent.Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = "--for", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Stop by itself after this long.")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        CliSettings settings = main.settings();
        // Checked before the database starts: a bad admin setting stops the command at once.
        java.util.Optional<AdminSettings> admin;
        try {
            admin = AdminSettings.fromEnvironment(main.env)
                    .map(a -> a.toBuilder().pollInterval(settings.node().pollInterval()).build());
        } catch (dev.lamplighter.admin.AdminSettingsException e) {
            throw new IllegalArgumentException(e.getMessage(), e); // a bad setting: usage exit code, one line
        }
        Foreground.run(stop -> {
            try (DatabaseStarter db = main.startDatabase(settings);
                 Lamplighter node = Lamplighter.builder(db.database().dataSource())
                         // the database was migrated as it was opened (unless LAMPLIGHTER_MIGRATE=false)
                         .config(settings.node().toBuilder().migrate(false).build())
                         .discover(Thread.currentThread().getContextClassLoader()).start()) {
                if (node.launcherNames().isEmpty() && node.jobTypes().isEmpty()) {
                    main.err.println("lamplighter: no launchers or handlers found on the classpath "
                            + "(META-INF/services/dev.lamplighter.Launcher, dev.lamplighter.JobHandler); running anyway");
                }
                // The admin HTTP server, when LAMPLIGHTER_ADMIN_PORT is set; stopped before the node.
                try (LamplighterAdmin server = admin.map(a -> LamplighterAdmin.builder(db.database().dataSource())
                        .settings(a).node(node).start()).orElse(null)) {
                    if (server != null) {
                        main.err.println("lamplighter: admin server on http://" + server.settings().bind() + ":" + server.port()
                                + " (/health, /metrics, /api/...; token from " + AdminSettings.ENV_TOKEN + ")");
                    }
                    if (duration == null) {
                        stop.await();
                    } else {
                        stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
                    }
                }
            }
        });
        return 0;
    }
}
