package dev.lamplighter.cli;

import dev.lamplighter.cli.db.CliSettings;
import dev.lamplighter.cli.db.DatabaseStarter;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code lamplighter migrate}: applies the schema migrations and exits. */
@Command(name = "migrate", mixinStandardHelpOptions = true, description = "Applies the lamplighter schema migrations.")
final class MigrateCommand implements java.util.concurrent.Callable<Integer> {

    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        CliSettings settings = main.settings();
        settings = settings.withNode(settings.node().toBuilder().migrate(false).build());
        try (DatabaseStarter db = main.startDatabase(settings)) {
            int applied = db.database().migrate();
            main.out.println(applied == 0 ? "Schema lamplighter is up to date." : "Applied " + applied + " migration(s).");
        }
        return 0;
    }
}
