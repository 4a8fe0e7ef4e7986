package dev.lamplighter.worker.cli;

import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.demo.Demo;
import dev.lamplighter.worker.internal.db.DatabaseStarter;
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
        LamplighterConfig config = main.config();
        Foreground.run(stop -> {
            try (DatabaseStarter db = main.startDatabase(config)) {
                new Demo(db.database(), config, main.out, db.psqlTarget()).run(duration, stop);
            }
        });
        return 0;
    }
}
