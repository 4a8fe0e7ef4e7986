package dev.lamplighter.chaos;

import dev.lamplighter.cli.db.CliSettings;
import dev.lamplighter.cli.db.DatabaseStarter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * The broken-rows program: broken {@code scheduled_jobs} and {@code jobs} rows and bad settings,
 * as operators and scripts write them, and what Lamplighter does with each. Prints the table of
 * cases and outcomes and, with {@code --docs DIR}, writes it into {@code reliability.md}.
 *
 * <pre>
 * java -cp "chaos/target/lamplighter-chaos-0.2.0.jar:$(cat chaos/target/classpath.txt)" \
 *     dev.lamplighter.chaos.BrokenRows [--bulk 1000] [--ticks 20] [--docs docs]
 * </pre>
 *
 * <p>Without {@code LAMPLIGHTER_DATABASE_URL} it runs on a throwaway embedded PostgreSQL. Exit
 * code 0 when every case had its expected outcome, 1 otherwise.
 */
public final class BrokenRows {

    /** The section of docs/reliability.md this program writes. */
    public static final String SECTION = "broken-rows";

    private BrokenRows() {
    }

    /** What one run found. */
    record Findings(List<BrokenRowsResult> rows, List<BrokenRowsSettings.Outcome> settings, List<String> runProblems,
                    int bulk, int ticks, Duration took, String figures) {

        boolean ok() {
            return runProblems.isEmpty() && rows.stream().allMatch(BrokenRowsResult::ok)
                    && settings.stream().allMatch(BrokenRowsSettings.Outcome::ok);
        }

        List<String> problems() {
            List<String> all = new java.util.ArrayList<>(runProblems);
            rows.stream().filter(r -> !r.ok()).forEach(r -> r.problems().forEach(p -> all.add(r.kase().id() + ": " + p)));
            settings.stream().filter(s -> !s.ok()).forEach(s -> s.problems().forEach(p -> all.add(
                    s.setting().variable() + "=" + BrokenRowsMarkdown.safe(s.setting().value(), 40) + ": " + p)));
            return all;
        }
    }

    public static void main(String[] args) throws IOException {
        int bulk = 1000;
        int ticks = 20;
        Path docs = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bulk" -> bulk = Integer.parseInt(args[++i]);
                case "--ticks" -> ticks = Integer.parseInt(args[++i]);
                case "--docs" -> docs = Path.of(args[++i]);
                default -> {
                    System.err.println("broken-rows: unknown argument " + args[i]
                            + ": expected --bulk N, --ticks N, --docs DIR");
                    System.exit(2);
                }
            }
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        Path dataDir = null;
        if (env.getOrDefault("LAMPLIGHTER_DATABASE_URL", "").isBlank()) {
            dataDir = Files.createTempDirectory("lamplighter-broken-rows");
            env.put("LAMPLIGHTER_DATA_DIR", dataDir.toString());
            env.put("LAMPLIGHTER_EMBEDDED_PORT", "0");
        }
        env.put("LAMPLIGHTER_POOL_SIZE", "20");
        Findings findings;
        try (DatabaseStarter db = DatabaseStarter.start(CliSettings.fromEnvironment(env))) {
            String url = db.embedded() ? db.psqlTarget() : env.get("LAMPLIGHTER_DATABASE_URL");
            findings = run(db.database().jdbi(), db.database().dataSource(), url, Instant.now(), bulk, ticks);
        }
        String table = BrokenRowsMarkdown.render(findings);
        System.out.println(table);
        findings.problems().forEach(p -> System.out.println("PROBLEM " + p));
        if (docs != null) {
            ReliabilityReport.replaceSection(docs, SECTION, table);
            System.out.println("Wrote section " + SECTION + " of " + docs.resolve(ReliabilityReport.FILE));
        }
        System.exit(findings.ok() ? 0 : 1);
    }

    /**
     * Runs every case on a database that holds the migrated, empty Lamplighter schema: the bad
     * settings first (through the command, against {@code databaseUrl}), then the rows, on a clock
     * that starts at {@code start}.
     */
    static Findings run(Jdbi jdbi, javax.sql.DataSource dataSource, String databaseUrl, Instant start, int bulk,
                        int ticks) {
        long started = System.nanoTime();
        List<BrokenRowsSettings.Outcome> settings = BrokenRowsSettings.run(databaseUrl);
        Findings rows = runRows(jdbi, dataSource, start, bulk, ticks);
        return new Findings(rows.rows(), settings, rows.runProblems(), bulk, ticks,
                Duration.ofNanos(System.nanoTime() - started), rows.figures());
    }

    /** The rows only (no settings), on a clock that starts at {@code start}. */
    static Findings runRows(Jdbi jdbi, javax.sql.DataSource dataSource, Instant start, int bulk, int ticks) {
        long started = System.nanoTime();
        jdbi.useHandle(h -> h.execute("DELETE FROM lamplighter.nodes"));
        BrokenRowsRun run = new BrokenRowsRun(jdbi, dataSource, new BrokenRowsClock(start), bulk, ticks);
        List<BrokenRowsResult> rows;
        try (BrokenRowsLog log = new BrokenRowsLog()) {
            rows = run.run(BrokenRowsCatalogue.all(), log);
        }
        return new Findings(rows, List.of(), run.runProblems, bulk, ticks, Duration.ofNanos(System.nanoTime() - started),
                run.figures);
    }

    /** How many cases ended in each outcome. */
    static Map<BrokenRowsCase.Expected, Long> counts(List<BrokenRowsResult> rows) {
        return rows.stream().filter(r -> r.outcome() != null).collect(Collectors.groupingBy(BrokenRowsResult::outcome,
                () -> new EnumMap<>(BrokenRowsCase.Expected.class), Collectors.counting()));
    }
}
