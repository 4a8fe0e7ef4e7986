package dev.lamplighter.chaos.restart;

import dev.lamplighter.client.JobRequest;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.worker.events.LamplighterListener;
import dev.lamplighter.worker.internal.LoopErrors;
import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.internal.db.Database;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;

/** One run of {@link DatabaseRestart}: set-up, the two restarts, the count. */
final class DatabaseRestartRun {

    private static final Duration WAIT = Duration.ofMinutes(3);

    private final DatabaseRestart o;
    private final PrintStream out;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private ConnectionInfo info;
    private RestartableServer embedded;
    private Jdbi jdbi;
    private Path successes;
    private NodeLogs logs;

    DatabaseRestartRun(DatabaseRestart options, PrintStream out) {
        this.o = options;
        this.out = out;
    }

    DatabaseRestartResult run() throws Exception {
        Path dir = Files.createTempDirectory("lamplighter-database-restart");
        try {
            setUp(dir);
            List<DatabaseRestartResult.Outage> outages = new ArrayList<>();
            outages.add(restart("stopped for " + dev.lamplighter.worker.internal.config.Durations.human(o.outage),
                    o.outage));
            outages.add(restart("fast restart", Duration.ZERO));
            query(h -> h.createUpdate(Queries.get("disable_schedules")).bind("prefix", RestartNode.SCHEDULE_PREFIX).execute());
            await("every job to end", () -> count("count_unfinished") == 0);
            return count(outages);
        } finally {
            closeAll();
        }
    }

    private void setUp(Path dir) throws Exception {
        if (o.stop == null) {
            embedded = RestartableServer.start(o.dataDir != null ? o.dataDir : dir.resolve("pgdata"), o.port);
            toClose.add(embedded);
            info = new ConnectionInfo(embedded.jdbcUrl(), embedded.user(), null);
            out.printf("Embedded PostgreSQL on port %d, data directory %s%n", embedded.port(), embedded.dataDirectory());
        } else {
            info = ConnectionInfo.parse("LAMPLIGHTER_DATABASE_URL", System.getenv("LAMPLIGHTER_DATABASE_URL"));
        }
        jdbi = Queries.jdbi(info.jdbcUrl(), info.user(), info.password());
        try (Database db = Database.connect(info, 2, "chaos-migrate")) {
            db.migrate();
        }
        query(h -> {
            for (String clean : List.of("clean_decisions", "clean_jobs", "clean_schedules")) {
                h.createUpdate(Queries.get(clean)).bind("prefix", RestartNode.SCHEDULE_PREFIX)
                        .bind("type", RecordingHandler.JOB_TYPE).execute();
            }
            return null;
        });
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(info.jdbcUrl());
        ds.setUser(info.user());
        ds.setPassword(info.password());
        LamplighterClient client = LamplighterClient.create(ds);
        List<JobRequest> batch = new ArrayList<>();
        for (int i = 0; i < o.jobs; i++) {
            batch.add(JobRequest.builder(RecordingHandler.JOB_TYPE).put("work_ms", o.workMs).maxAttempts(5).build());
            if (batch.size() == 1000 || i == o.jobs - 1) {
                client.enqueueAll(batch);
                batch.clear();
            }
        }
        successes = dir.resolve("successes.txt");
        Files.createFile(successes);
        out.printf("%s%nEnqueued %,d jobs; logs and the success file in %s%n", o.description(), o.jobs, dir);
        List<String> ids = new ArrayList<>();
        for (int n = 1; n <= o.nodes; n++) {
            ids.add("restart-node-" + n);
        }
        if (o.inProcess) {
            startInProcess(ids);
        } else {
            startProcesses(ids, dir);
        }
    }

    private void startInProcess(List<String> ids) {
        LogTally tally = LogTally.attach();
        toClose.add(0, tally);
        SuccessFile file = new SuccessFile(successes);
        toClose.add(0, file);
        for (String id : ids) {
            toClose.add(0, RestartNode.start(settings(id), file, new LamplighterListener() { }));
        }
        logs = NodeLogs.inProcess(tally, ids);
    }

    private void startProcesses(List<String> ids, Path dir) throws Exception {
        Map<String, Path> files = new LinkedHashMap<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String id : ids) {
            RestartNode.Settings s = settings(id);
            Path log = dir.resolve(id + ".log");
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    DatabaseRestartWorker.class.getName(), "--url", s.jdbcUrl(), "--user", s.user(), "--node", id,
                    "--threads", String.valueOf(s.threads()), "--schedules", String.valueOf(s.schedules()),
                    "--every", s.every().toMillis() + "ms", "--work-ms", String.valueOf(s.workMs()),
                    "--successes", successes.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            if (info.password() != null) {
                pb.environment().put(DatabaseRestartWorker.PASSWORD_ENV, info.password());
            }
            Process p = pb.start();
            toClose.add(0, () -> {
                p.destroy();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            });
            files.put(id, log);
        }
        await("the worker processes to start", () -> query(h -> h.createQuery(Queries.get("nodes_up"))
                .bind("ids", ids.toArray(String[]::new)).mapTo(Long.class).one()) == ids.size());
        logs = NodeLogs.files(files);
    }

    private RestartNode.Settings settings(String id) {
        return new RestartNode.Settings(info.jdbcUrl(), info.user(), info.password(), id, o.threads, true, o.schedules,
                o.every, o.workMs, Duration.ofSeconds(1));
    }

    private DatabaseRestartResult.Outage restart(String name, Duration down) throws Exception {
        long before = count("count_completed");
        await("jobs to complete before the " + name, () -> count("count_completed") >= before + 10);
        Map<String, Integer> marks = logs.mark();
        long t0 = System.nanoTime();
        stopServer();
        if (!down.isZero()) {
            Thread.sleep(down.toMillis());   // the outage itself
        }
        startServer();
        long started = System.nanoTime();
        long completedAtStart = count("count_completed");
        long decisionMark = query(h -> h.createQuery(Queries.get("last_decision_id")).mapTo(Long.class).one());
        long jobsAgain = until(started, () -> count("count_completed") > completedAtStart);
        long launchesAgain = o.schedules == 0 ? -1 : until(started, () -> query(h -> h.createQuery(Queries.get("launches_after"))
                .bind("prefix", RestartNode.SCHEDULE_PREFIX).bind("after", decisionMark).mapTo(Long.class).one()) > 0);
        // Every loop that said it lost the database says it is back (the heartbeat beats every 30 s).
        awaitQuietly(Duration.ofSeconds(75), () -> allBack(logs.since(marks)));
        Map<String, List<LogTally.Line>> lines = new LinkedHashMap<>();
        logs.since(marks).forEach((node, all) -> lines.put(node, all.stream().filter(LogTally.Line::aboutAFault).toList()));
        int lost = 0;
        int back = 0;
        int most = 0;
        for (List<LogTally.Line> nodeLines : lines.values()) {
            Map<String, Integer> lostPerLoop = LogTally.lostLines(nodeLines);
            lost += lostPerLoop.size();
            back += (int) LogTally.backLines(nodeLines).keySet().stream().filter(lostPerLoop::containsKey).count();
            most = Math.max(most, lostPerLoop.values().stream().mapToInt(Integer::intValue).max().orElse(0));
        }
        DatabaseRestartResult.Outage outage = new DatabaseRestartResult.Outage(name, (started - t0) / 1_000_000,
                jobsAgain, launchesAgain, lost, back, most, lines);
        out.printf("%s: down %d ms; jobs completing again after %d ms, schedules launching again after %d ms; "
                + "%d of %d loops back%n", name, outage.downMs(), jobsAgain, launchesAgain, back, lost);
        return outage;
    }

    private static boolean allBack(Map<String, List<LogTally.Line>> lines) {
        return lines.values().stream().allMatch(l -> LogTally.backLines(l).keySet().containsAll(LogTally.lostLines(l).keySet()));
    }

    private void stopServer() throws Exception {
        if (embedded != null) {
            embedded.stop();
        } else {
            shell(o.stop);
        }
    }

    private void startServer() throws Exception {
        if (embedded != null) {
            embedded.start();
        } else {
            shell(o.start);
        }
    }

    private DatabaseRestartResult count(List<DatabaseRestartResult.Outage> outages) {
        Map<String, Long> byStatus = new HashMap<>();
        query(h -> h.createQuery(Queries.get("count_by_status")).bind("type", RecordingHandler.JOB_TYPE)
                .map((rs, ctx) -> Map.entry(rs.getString("status"), rs.getLong("n")))
                .list()).forEach(e -> byStatus.put(e.getKey(), e.getValue()));
        long jobs = byStatus.values().stream().mapToLong(Long::longValue).sum();
        long completed = byStatus.getOrDefault("completed", 0L);
        long failed = byStatus.getOrDefault("failed", 0L);
        Map<Long, Integer> successCount = new HashMap<>();
        SuccessFile.read(successes).forEach(s -> successCount.merge(s.jobId(), 1, Integer::sum));
        long succeededNotCompleted = 0;
        long extraAttempts = 0;
        for (Map<String, Object> job : query(h -> h.createQuery(Queries.get("job_outcomes"))
                .bind("type", RecordingHandler.JOB_TYPE).mapToMap().list())) {
            long id = ((Number) job.get("job_id")).longValue();
            int successesOfJob = successCount.getOrDefault(id, 0);
            if (successesOfJob > 0 && !"completed".equals(job.get("status"))) {
                succeededNotCompleted++;
            }
            if (((Number) job.get("attempts")).intValue() > successesOfJob) {
                extraAttempts++;
            }
        }
        long twice = successCount.values().stream().filter(n -> n > 1).count();
        long launches = countAll("launches_after");
        long slotsTwice = countAll("slots_launched_twice");
        long withoutJob = countAll("launches_without_job");
        return new DatabaseRestartResult(outages, jobs, completed, failed, jobs - completed - failed,
                succeededNotCompleted, twice, extraAttempts, launches, slotsTwice, withoutJob);
    }

    private long countAll(String name) {
        return query(h -> h.createQuery(Queries.get(name)).bind("prefix", RestartNode.SCHEDULE_PREFIX)
                .bind("after", 0L).mapTo(Long.class).one());
    }

    private long count(String name) {
        return query(h -> h.createQuery(Queries.get(name)).bind("type", RecordingHandler.JOB_TYPE).mapTo(Long.class).one());
    }

    /** Runs {@code f} on a new connection, again while the database cannot be reached (it is coming back). */
    private <T> T query(Function<Handle, T> f) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try (Handle h = jdbi.open()) {
                return f.apply(h);
            } catch (RuntimeException e) {
                if (!LoopErrors.isConnectionError(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                pause();
            }
        }
    }

    /** Milliseconds from {@code since} until {@code condition} held, or -1 if it did not within the wait. */
    private static long until(long since, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return -1;
            }
            pause();
        }
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static void await(String what, BooleanSupplier condition) {
        if (!awaitQuietly(WAIT, condition)) {
            throw new IllegalStateException("Gave up waiting for " + what + " after " + WAIT.toMinutes() + " min");
        }
    }

    private static boolean awaitQuietly(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            pause();
        }
        return true;
    }

    private static void pause() {
        try {
            Thread.sleep(50);   // polling a figure in the database or a log, not waiting for a signal of ours
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void shell(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("'" + command + "' exited with " + p.exitValue());
        }
    }

    private void closeAll() {
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception e) {
                out.println("Closing " + c + ": " + e);
            }
        }
    }
}
