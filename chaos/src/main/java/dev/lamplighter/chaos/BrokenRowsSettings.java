package dev.lamplighter.chaos;

import dev.lamplighter.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bad settings of the broken-rows program: each {@code LAMPLIGHTER_*} variable a node reads,
 * empty, negative, huge, in the wrong unit, not a number. Each is given to the {@code lamplighter}
 * command ({@code migrate}; {@code run} for the admin server's) against the program's database:
 * a bad value must stop the start with one line that names the variable, the value and what is
 * allowed (exit code 2); an empty one keeps the default.
 */
final class BrokenRowsSettings {

    /** One bad setting: the variable, its value, and the text its error must show for the value. */
    record Setting(String variable, String value, boolean accepted, String mentions) {
    }

    /** What the command did with it. */
    record Outcome(Setting setting, int exitCode, String output, List<String> problems) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    private BrokenRowsSettings() {
    }

    static List<Setting> all() {
        List<Setting> s = new ArrayList<>();
        // Durations
        bad(s, "LAMPLIGHTER_POLL_INTERVAL", "-5s");
        bad(s, "LAMPLIGHTER_POLL_INTERVAL", "0");
        bad(s, "LAMPLIGHTER_POLL_INTERVAL", "60000");
        bad(s, "LAMPLIGHTER_POLL_INTERVAL", "99999999999999999999s");
        bad(s, "LAMPLIGHTER_POLL_INTERVAL", "PT-1S", "-1s");
        ok(s, "LAMPLIGHTER_POLL_INTERVAL", "");
        bad(s, "LAMPLIGHTER_LAUNCHER_RETRY_BASE", "2 minutes");
        bad(s, "LAMPLIGHTER_LAUNCHER_RETRY_BASE", "9999999999999d");
        bad(s, "LAMPLIGHTER_WORKER_POLL_INTERVAL", "1ms", "1ms");
        bad(s, "LAMPLIGHTER_WORKER_POLL_INTERVAL", "1.5s");
        bad(s, "LAMPLIGHTER_WORKER_COMPLETION_FLUSH", "-1ms");
        bad(s, "LAMPLIGHTER_WORKER_COMPLETION_FLUSH", "P9999999999D", "239999999976h");
        bad(s, "LAMPLIGHTER_JOB_LEASE", "5");
        bad(s, "LAMPLIGHTER_JOB_LEASE", "PT9999999999999H", "416666666666d");
        bad(s, "LAMPLIGHTER_JOB_RETRY_BASE", "ten seconds");
        bad(s, "LAMPLIGHTER_JOB_RETRY_MAX", "1ms", "1ms");
        bad(s, "LAMPLIGHTER_JOB_TIMEOUT", "30d", "720h");
        bad(s, "LAMPLIGHTER_SHUTDOWN_TIMEOUT", "-30s");
        bad(s, "LAMPLIGHTER_RETENTION_INTERVAL", "1s", "1s");
        bad(s, "LAMPLIGHTER_RETAIN_COMPLETED", "never");
        bad(s, "LAMPLIGHTER_RETAIN_FAILED", "99999d", "99999d");
        bad(s, "LAMPLIGHTER_RETAIN_DECISIONS", "-1d");
        // Whole numbers
        bad(s, "LAMPLIGHTER_WORKER_THREADS", "-1");
        bad(s, "LAMPLIGHTER_WORKER_THREADS", "99999999999");
        bad(s, "LAMPLIGHTER_WORKER_THREADS", "4.0");
        bad(s, "LAMPLIGHTER_WORKER_PREFETCH", "1e3");
        bad(s, "LAMPLIGHTER_WORKER_PREFETCH", "100000");
        bad(s, "LAMPLIGHTER_RETENTION_BATCH", "0");
        bad(s, "LAMPLIGHTER_POLL_CHUNK_SIZE", "ten");
        bad(s, "LAMPLIGHTER_POLL_CHUNK_SIZE", "2147483648");
        bad(s, "LAMPLIGHTER_POOL_SIZE", "1");
        bad(s, "LAMPLIGHTER_EMBEDDED_PORT", "70000");
        ok(s, "LAMPLIGHTER_WORKER_THREADS", "   ");
        // Switches
        bad(s, "LAMPLIGHTER_MIGRATE", "yes");
        bad(s, "LAMPLIGHTER_SCHEDULER", "1");
        bad(s, "LAMPLIGHTER_RETENTION", "on");
        bad(s, "LAMPLIGHTER_LISTEN", "enabled");
        ok(s, "LAMPLIGHTER_LISTEN", " TRUE ");
        // Names
        bad(s, "LAMPLIGHTER_NODE_ID", "node one");
        bad(s, "LAMPLIGHTER_NODE_ID", "n".repeat(200), "nnnn");
        bad(s, "LAMPLIGHTER_NODE_ID", "узел");
        bad(s, "LAMPLIGHTER_CONDITION_ROLE", "role; DROP TABLE x");
        bad(s, "LAMPLIGHTER_CAPABILITIES", "llm, g p u", "g p u");
        bad(s, "LAMPLIGHTER_LOG_LEVEL", "verbose");
        bad(s, "LAMPLIGHTER_DATABASE_URL", "mysql://localhost/db");
        // The admin server's
        bad(s, "LAMPLIGHTER_ADMIN_PORT", "-1");
        bad(s, "LAMPLIGHTER_ADMIN_PORT", "99999");
        bad(s, "LAMPLIGHTER_ADMIN_PORT", "http");
        return s;
    }

    private static void bad(List<Setting> list, String variable, String value, String... mentions) {
        list.add(new Setting(variable, value, false, mentions.length > 0 ? mentions[0] : value.strip()));
    }

    private static void ok(List<Setting> list, String variable, String value) {
        list.add(new Setting(variable, value, true, null));
    }

    /** Runs each setting through the command against {@code databaseUrl}. */
    static List<Outcome> run(String databaseUrl) {
        return all().stream().map(s -> run(databaseUrl, s)).toList();
    }

    static Outcome run(String databaseUrl, Setting s) {
        Map<String, String> env = new HashMap<>();
        env.put("LAMPLIGHTER_DATABASE_URL", databaseUrl);
        env.put(s.variable(), s.value());
        if (s.variable().startsWith("LAMPLIGHTER_ADMIN_")) {
            env.put("LAMPLIGHTER_ADMIN_TOKEN", "x".repeat(32));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] command = s.variable().startsWith("LAMPLIGHTER_ADMIN_") ? new String[] {"run", "--for", "1ms"}
                : new String[] {"migrate"};
        int code = Main.execute(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), command);
        String said = err.toString(StandardCharsets.UTF_8).strip();
        List<String> problems = new ArrayList<>();
        if (s.accepted()) {
            if (code != 0) {
                problems.add("expected the default to be kept, but the start failed (exit " + code + "): " + said);
            }
            return new Outcome(s, code, code == 0 ? "accepted; the default is kept" : said, problems);
        }
        if (code != Main.EXIT_USAGE) {
            problems.add("expected the start to fail with exit code " + Main.EXIT_USAGE + ", got " + code);
        }
        if (said.lines().count() != 1) {
            problems.add("expected one line, got " + said.lines().count());
        }
        if (!said.contains(s.variable()) || !said.contains(s.mentions())
                || !(said.contains("expected") || said.contains("allowed"))) {
            problems.add("the line does not name the setting, the value (" + s.mentions() + ") and what is allowed");
        }
        return new Outcome(s, code, said.lines().findFirst().orElse(""), problems);
    }
}
