package dev.lamplighter.bench;

import dev.lamplighter.client.JobRequest;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.internal.db.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Restarts PostgreSQL under a running queue and prints what happened to every job.
 *
 * <p>Enqueues {@code --jobs} jobs of {@link RecordingHandler}, starts {@code --workers} worker
 * processes ({@code lamplighter run}, scheduler off), and once a third of the jobs are done runs
 * {@code --stop}, waits {@code --outage}, runs {@code --start}. Then it waits for every job to end
 * and prints: jobs completed, failed, lost (never ended), handlers that succeeded but whose job
 * was recorded failed or ran again, and the log lines each worker wrote during the outage.
 *
 * <pre>
 * LAMPLIGHTER_DATABASE_URL=postgresql://bench:bench@127.0.0.1:5432/bench \
 *   java -cp cli/target/lamplighter-cli-*-all.jar:bench/target/lamplighter-bench-*.jar \
 *   dev.lamplighter.bench.DatabaseRestartTrial --jobs 5000 --workers 2 --outage 10s \
 *   --stop "pg_ctlcluster 15 main stop -m fast" --start "pg_ctlcluster 15 main start"
 * </pre>
 */
public final class DatabaseRestartTrial {

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        int jobs = Integer.parseInt(opt.getOrDefault("jobs", "5000"));
        int workers = Integer.parseInt(opt.getOrDefault("workers", "2"));
        long workMs = Long.parseLong(opt.getOrDefault("work-ms", "20"));
        Duration outage = dev.lamplighter.worker.internal.config.Durations.parse("--outage", opt.getOrDefault("outage", "10s"));
        String stop = opt.getOrDefault("stop", "pg_ctlcluster 15 main stop -m fast");
        String start = opt.getOrDefault("start", "pg_ctlcluster 15 main start");
        String url = System.getenv("LAMPLIGHTER_DATABASE_URL");
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("LAMPLIGHTER_DATABASE_URL is not set: expected the server this trial restarts");
        }
        Path dir = Files.createTempDirectory("lamplighter-restart-trial");
        Path records = dir.resolve("handler-successes.txt");
        Files.createFile(records);

        try (Database db = Database.connect(ConnectionInfo.parse("LAMPLIGHTER_DATABASE_URL", url), 4, "trial")) {
            db.migrate();
            db.jdbi().useHandle(h -> h.execute("DELETE FROM lamplighter.jobs WHERE job_type = ?", RecordingHandler.JOB_TYPE));
            LamplighterClient client = LamplighterClient.create(db.dataSource());
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                for (int i = 0; i < jobs; i++) {
                    client.enqueue(c, JobRequest.builder(RecordingHandler.JOB_TYPE).put("work_ms", workMs).maxAttempts(5).build());
                }
                c.commit();
            }
            System.out.printf("Enqueued %d jobs; starting %d worker processes; logs and records in %s%n", jobs, workers, dir);

            List<Process> processes = new ArrayList<>();
            List<Path> logs = new ArrayList<>();
            for (int w = 1; w <= workers; w++) {
                Path log = dir.resolve("worker-" + w + ".log");
                ProcessBuilder pb = new ProcessBuilder(javaBin(), "--enable-native-access=ALL-UNNAMED",
                        "-cp", System.getProperty("java.class.path"), "dev.lamplighter.cli.Main", "run")
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().put("LAMPLIGHTER_DATABASE_URL", url);
                pb.environment().put("LAMPLIGHTER_SCHEDULER", "false");
                pb.environment().put("LAMPLIGHTER_MIGRATE", "false");
                pb.environment().put("LAMPLIGHTER_NODE_ID", "trial-worker-" + w);
                pb.environment().put("LAMPLIGHTER_JOB_RETRY_BASE", "1s");
                pb.environment().put(RecordingHandler.RECORD_FILE, records.toString());
                processes.add(pb.start());
                logs.add(log);
            }

            waitFor(db, "completed", jobs / 3, Duration.ofMinutes(5));
            long[] before = lineCounts(logs);
            long stoppedAt = System.nanoTime();
            run(stop);
            System.out.printf("Database stopped (%s); waiting %s%n", stop, outage);
            Thread.sleep(outage.toMillis());   // the outage itself
            run(start);
            long startedAt = System.nanoTime();
            long doneAtRestart = count(db, "completed", Duration.ofSeconds(60));
            waitFor(db, "completed", doneAtRestart + 1, Duration.ofMinutes(2));
            long recoveredMs = (System.nanoTime() - startedAt) / 1_000_000;
            long[] after = lineCounts(logs);
            System.out.printf("Database started again (%s); jobs completing again %d ms later%n", start, recoveredMs);

            waitForAllEnded(db, jobs, Duration.ofMinutes(5));
            processes.forEach(Process::destroy);
            for (Process p : processes) {
                p.waitFor(60, TimeUnit.SECONDS);
            }
            report(db, jobs, records, logs, before, after, (startedAt - stoppedAt) / 1_000_000);
        }
    }

    private static void report(Database db, int jobs, Path records, List<Path> logs, long[] before, long[] after,
                               long outageMs) throws IOException {
        Map<String, Long> byStatus = new HashMap<>();
        db.jdbi().useHandle(h -> h.createQuery("SELECT status, count(*) AS n FROM lamplighter.jobs WHERE job_type = :t GROUP BY status")
                .bind("t", RecordingHandler.JOB_TYPE)
                .map((rs, ctx) -> Map.entry(rs.getString("status"), rs.getLong("n"))).forEach(e -> byStatus.put(e.getKey(), e.getValue())));
        Map<Long, Integer> successes = new HashMap<>();
        for (String line : Files.readAllLines(records)) {
            if (!line.isBlank()) {
                successes.merge(Long.parseLong(line.split(" ")[0]), 1, Integer::sum);
            }
        }
        List<Long> failedIds = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT job_id FROM lamplighter.jobs WHERE job_type = :t AND status <> 'completed'")
                .bind("t", RecordingHandler.JOB_TYPE).mapTo(Long.class).list());
        long succeededButNotCompleted = failedIds.stream().filter(successes::containsKey).count();
        long ranAgainAfterSuccess = successes.values().stream().filter(n -> n > 1).count();
        long completed = byStatus.getOrDefault("completed", 0L);
        long failed = byStatus.getOrDefault("failed", 0L);

        System.out.println();
        System.out.printf("jobs                                   %d%n", jobs);
        System.out.printf("completed                              %d%n", completed);
        System.out.printf("failed                                 %d%n", failed);
        System.out.printf("lost (not completed, not failed)       %d%n", jobs - completed - failed);
        System.out.printf("handler succeeded, job not completed   %d%n", succeededButNotCompleted);
        System.out.printf("handler succeeded, then ran again      %d%n", ranAgainAfterSuccess);
        System.out.printf("outage (stop command to start command) %d ms%n", outageMs);
        for (int i = 0; i < logs.size(); i++) {
            System.out.printf("worker %d: log lines from stop to recovery  %d%n", i + 1, after[i] - before[i]);
        }
        for (int i = 0; i < logs.size(); i++) {
            List<String> lines = Files.readAllLines(logs.get(i));
            System.out.printf("%n--- worker %d, the lines written during the outage ---%n", i + 1);
            lines.subList((int) before[i], (int) Math.min(after[i], lines.size())).forEach(System.out::println);
        }
    }

    private static long count(Database db, String status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM lamplighter.jobs WHERE job_type = :t AND status = :s")
                        .bind("t", RecordingHandler.JOB_TYPE).bind("s", status).mapTo(Long.class).one());
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);   // the database is still coming back
            }
        }
    }

    private static void waitFor(Database db, String status, long atLeast, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(db, status, timeout) < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("fewer than " + atLeast + " jobs " + status + " after " + timeout);
            }
            Thread.sleep(20);   // polling the figure, not waiting for a signal of our own
        }
    }

    private static void waitForAllEnded(Database db, int jobs, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(db, "completed", timeout) + count(db, "failed", timeout) < jobs && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private static long[] lineCounts(List<Path> logs) throws IOException {
        long[] counts = new long[logs.size()];
        for (int i = 0; i < logs.size(); i++) {
            try (var lines = Files.lines(logs.get(i))) {
                counts[i] = lines.count();
            }
        }
        return counts;
    }

    private static void run(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("'" + command + "' exited with " + p.exitValue());
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException(args[i] + " is not allowed: expected --jobs, --workers, --work-ms, --outage, --stop or --start");
            }
            opt.put(args[i].substring(2), args[i + 1]);
        }
        return opt;
    }
}
