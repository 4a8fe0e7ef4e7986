package dev.lamplighter.cli;

import dev.lamplighter.LamplighterException;
import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.internal.db.DatabaseConnectException;
import dev.lamplighter.cli.db.CliSettings;
import dev.lamplighter.cli.db.DatabaseStarter;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code lamplighter} command. Settings come from {@code LAMPLIGHTER_*} environment variables.
 *
 * <p>Exit codes: {@value #EXIT_OK} done; {@value #EXIT_ATTENTION} something to attend to (no such
 * schedule, a disabled schedule, a data directory held by another node, a schema to migrate);
 * {@value #EXIT_USAGE} a usage, setting or connection error. Results go to stdout, logs and
 * errors to stderr; an error is one line, with its stack trace only under {@code --verbose}.
 */
@Command(name = "lamplighter", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A PostgreSQL-driven job launcher: check often, run only when work is needed.",
        footer = {"", "Settings are environment variables (LAMPLIGHTER_DATABASE_URL, LAMPLIGHTER_POLL_INTERVAL, ...);",
                "see the README's configuration table. Without LAMPLIGHTER_DATABASE_URL an embedded PostgreSQL is used.",
                "Exit codes: 0 ok, 1 something to attend to (not found, disabled, in use, a job action that does not apply",
                "to the job's status, doctor or drift findings, explain that cannot decide), 2 usage, setting or connection",
                "error (also a malformed or unknown job id or node id, a missing or bad --reason).",
                "docs/cli.md has every command."},
        subcommands = {DemoCommand.class, RunCommand.class, MigrateCommand.class, OperatorCommands.Status.class,
                OperatorCommands.History.class, OperatorCommands.Decisions.class, OperatorCommands.Trigger.class,
                OperatorCommands.Enable.class, OperatorCommands.Disable.class, JobCommands.Approve.class,
                JobCommands.Reject.class, JobCommands.Retry.class, JobCommands.Cancel.class, NodesCommand.class,
                ExplainCommand.class, DoctorCommand.class, DriftCommand.class,
                ClusterCommands.Pause.class, ClusterCommands.Resume.class, ClusterCommands.Drain.class,
                ClusterCommands.Undrain.class})
public final class Main implements Runnable {

    /** Done. */
    public static final int EXIT_OK = 0;
    /** Something to attend to: not found, disabled, in use, schema to migrate. */
    public static final int EXIT_ATTENTION = 1;
    /** A usage, setting or connection error. */
    public static final int EXIT_USAGE = 2;

    static final Set<String> LOG_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    final Map<String, String> env;
    final PrintStream out;
    final PrintStream err;
    /** The clock the commands bind as {@code :now}: null in production (the database's clock), a test's clock in tests. */
    final Clock clock;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of an error, not only its one-line message.")
    boolean verbose;

    Main(Map<String, String> env, Clock clock, PrintStream out, PrintStream err) {
        this.env = env;
        this.clock = clock;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(execute(System.getenv(), System.out, System.err, args));
    }

    /** Runs the CLI with the given environment and streams; returns the exit code. */
    public static int execute(Map<String, String> env, PrintStream out, PrintStream err, String... args) {
        return execute(env, null, out, err, args);
    }

    /**
     * As {@link #execute(Map, PrintStream, PrintStream, String...)}, reading "now" from {@code clock}
     * (null: the database's clock, as in production).
     */
    public static int execute(Map<String, String> env, Clock clock, PrintStream out, PrintStream err, String... args) {
        Main main = new Main(env, clock, out, err);
        CommandLine cli = new CommandLine(main);
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            int code = exitCode(e);
            err.println("lamplighter: " + message(e));
            if (main.verbose) {
                e.printStackTrace(err);
            }
            return code;
        });
        String level = env.get("LAMPLIGHTER_LOG_LEVEL");
        if (level != null && !level.isBlank() && !LOG_LEVELS.contains(level.trim().toUpperCase(Locale.ROOT))) {
            err.println("lamplighter: LAMPLIGHTER_LOG_LEVEL = \"" + level + "\" is not allowed: expected one of "
                    + "TRACE, DEBUG, INFO, WARN, ERROR, OFF");
            return EXIT_USAGE;
        }
        return cli.execute(args);
    }

    static int exitCode(Exception e) {
        if (e instanceof CliException c) {
            return c.exitCode;
        }
        if (e instanceof IllegalArgumentException || e instanceof DatabaseConnectException) {
            return EXIT_USAGE;
        }
        return EXIT_ATTENTION;
    }

    private static String message(Exception e) {
        if (e instanceof CliException || e instanceof IllegalArgumentException || e instanceof LamplighterException) {
            return e.getMessage();
        }
        return e + " (run with --verbose for the stack trace)";
    }

    @Override
    public void run() {
        spec.commandLine().usage(out);
    }

    /** Every setting from the environment, checked: the node's and the database's. */
    CliSettings settings() {
        return CliSettings.fromEnvironment(env);
    }

    DatabaseStarter startDatabase(CliSettings settings) {
        return DatabaseStarter.start(settings);
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

    /** {@code --version}: the version of the worker this CLI runs. */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lamplighter " + Lamplighter.VERSION};
        }
    }
}
