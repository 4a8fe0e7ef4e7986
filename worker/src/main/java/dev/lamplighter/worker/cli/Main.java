package dev.lamplighter.worker.cli;

import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.internal.config.EnvironmentConfig;
import dev.lamplighter.worker.internal.db.DatabaseStarter;
import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lamplighter} command. Settings come from {@code LAMPLIGHTER_*} environment variables. */
@Command(name = "lamplighter", mixinStandardHelpOptions = true, version = "lamplighter " + Lamplighter.VERSION,
        description = "A PostgreSQL-driven job launcher: check often, run only when work is needed.",
        footer = {"", "Settings are environment variables (LAMPLIGHTER_DATABASE_URL, LAMPLIGHTER_POLL_INTERVAL, ...);",
                "see the README's configuration table. Without LAMPLIGHTER_DATABASE_URL an embedded PostgreSQL is used."},
        subcommands = {DemoCommand.class, RunCommand.class, MigrateCommand.class, OperatorCommands.Status.class,
                OperatorCommands.History.class, OperatorCommands.Decisions.class, OperatorCommands.Trigger.class,
                OperatorCommands.Enable.class, OperatorCommands.Disable.class})
public final class Main implements Runnable {

    final Map<String, String> env;
    final PrintStream out;
    final PrintStream err;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Main(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(execute(System.getenv(), System.out, System.err, args));
    }

    /** Runs the CLI with the given environment and streams; returns the exit code. */
    public static int execute(Map<String, String> env, PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(new Main(env, out, err));
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException || e instanceof CliException) {
                err.println("lamplighter: " + e.getMessage());
                return e instanceof CliException c ? c.exitCode : 2;
            }
            if (e instanceof dev.lamplighter.LamplighterException) {
                err.println("lamplighter: " + e.getMessage());
                return 1;
            }
            err.println("lamplighter: " + e);
            e.printStackTrace(err);
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(out);
    }

    /** The configuration from the environment, checked. */
    LamplighterConfig config() {
        return EnvironmentConfig.fromEnvironment(env).build();
    }

    DatabaseStarter startDatabase(LamplighterConfig config) {
        return DatabaseStarter.start(config);
    }

    /** An error the user can act on, with the exit code to leave with. */
    static final class CliException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        CliException(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }
    }
}
