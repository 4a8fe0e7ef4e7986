package dev.lamplighter.cli;

import dev.lamplighter.cli.db.CliSettings;
import dev.lamplighter.cli.demo.Demo;
import dev.lamplighter.cli.db.DatabaseStarter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code lamplighter demo}: the seed's four schedules over a small demo vocabulary. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the four scheduled jobs of the knowledge-graph example over a small demo schema",
                "(lamplighter_demo), with a simulated ingestion, until Ctrl-C or --for."})
final class DemoCommand implements java.util.concurrent.Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = "--for", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Stop by itself after this long (e.g. 60s, 5m).")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        CliSettings settings = main.settings();
        Foreground.run(stop -> {
            String psql;
            boolean embedded;
            try (DatabaseStarter db = main.startDatabase(settings)) {
                psql = db.psqlTarget();
                embedded = db.embedded();
                new Demo(db.database(), settings.node(), main.out, psql).run(duration, stop);
            }
            // Said after the server has stopped, so that the last line is true when it is read.
            main.out.println(embedded
                    ? "The embedded PostgreSQL has stopped; the data stays in " + settings.dataDirectory()
                            + ". Start the demo (or a node) again to look inside: it prints the psql URL."
                    : "The data stays: psql " + psql);
        });
        return Main.EXIT_OK;
    }
}
