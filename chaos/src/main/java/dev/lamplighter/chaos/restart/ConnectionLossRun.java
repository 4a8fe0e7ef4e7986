package dev.lamplighter.chaos.restart;

import com.zaxxer.hikari.HikariDataSource;
import dev.lamplighter.Schedule;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.events.AttemptEvent;
import dev.lamplighter.worker.events.LamplighterListener;
import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.internal.db.Database;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Jdbi;

/**
 * One run of {@link ConnectionLoss}: a polling node and a worker node, each on its own pool (its
 * connections carry the node id as {@code application_name}), and three cases per round.
 */
final class ConnectionLossRun {

    static final String PREFIX = "chaos-loss-";
    static final String POLLER = "loss-poller";
    static final String WORKER = "loss-worker";
    private static final Duration WAIT = Duration.ofSeconds(45);

    private final int rounds;
    private final PrintStream out;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final HeldLauncher launcher = new HeldLauncher();
    private final Queue<AttemptEvent> attempts = new ConcurrentLinkedQueue<>();
    private Jdbi jdbi;
    private LogTally tally;
    private HeldHandler handler;
    private LamplighterClient client;

    ConnectionLossRun(int rounds, PrintStream out) {
        this.rounds = rounds;
        this.out = out;
    }

    ConnectionLossResult run(ConnectionInfo info) throws Exception {
        Path dir = Files.createTempDirectory("lamplighter-connection-loss");
        try {
            setUp(info, dir);
            Tally check = new Tally("poll loop: the check's connection, during the check");
            Tally all = new Tally("poll loop: every connection of the node, during a check");
            Tally worker = new Tally("worker: every connection of the node, while a handler runs");
            for (int i = 1; i <= rounds; i++) {
                cutDuringCheck(check, PREFIX + "check-" + i, false);
                cutDuringCheck(all, PREFIX + "all-" + i, true);
                cutDuringRun(worker, i);
            }
            return new ConnectionLossResult(List.of(check.toCase(), all.toCase(), worker.toCase()));
        } finally {
            for (AutoCloseable c : toClose) {
                c.close();
            }
        }
    }

    private void setUp(ConnectionInfo info, Path dir) throws Exception {
        jdbi = Queries.jdbi(info.jdbcUrl(), info.user(), info.password());
        try (Database db = Database.connect(info, 2, "chaos-migrate")) {
            db.migrate();
        }
        jdbi.useHandle(h -> {
            for (String clean : List.of("clean_decisions", "clean_jobs", "clean_schedules")) {
                h.createUpdate(Queries.get(clean)).bind("prefix", PREFIX).bind("type", HeldHandler.JOB_TYPE).execute();
            }
        });
        tally = LogTally.attach();
        toClose.add(tally);
        SuccessFile successes = new SuccessFile(dir.resolve("successes.txt"));
        toClose.add(0, successes);
        handler = new HeldHandler(successes, WORKER);

        HikariDataSource pollerPool = RestartNode.pool(info.jdbcUrl(), info.user(), info.password(), 6, POLLER);
        toClose.add(0, pollerPool);
        Lamplighter.Builder poller = Lamplighter.builder(pollerPool).config(config(POLLER, true, 0)).launcher(launcher);
        for (int i = 1; i <= rounds; i++) {
            for (String kind : List.of("check-", "all-")) {
                poller.schedule(Schedule.builder(PREFIX + kind + i).every(Duration.ofHours(1)).initialDelay(Duration.ofHours(1))
                        .launcher(HeldLauncher.NAME).jobType(HeldHandler.JOB_TYPE).build());
            }
        }
        toClose.add(0, poller.start());

        HikariDataSource workerPool = RestartNode.pool(info.jdbcUrl(), info.user(), info.password(), 6, WORKER);
        toClose.add(0, workerPool);
        toClose.add(0, Lamplighter.builder(workerPool).config(config(WORKER, false, 2)).handler(handler)
                .listener(new LamplighterListener() {
                    @Override
                    public void attemptEnded(AttemptEvent event) {
                        attempts.add(event);
                    }
                }).start());
        // The program's own connections, unpooled: none of them is among those it cuts.
        org.postgresql.ds.PGSimpleDataSource own = new org.postgresql.ds.PGSimpleDataSource();
        own.setURL(info.jdbcUrl());
        own.setUser(info.user());
        own.setPassword(info.password());
        own.setApplicationName("chaos-driver");
        client = LamplighterClient.create(own);
        out.printf("A polling node and a worker node, each on its own HikariCP pool; %d round(s)%n", rounds);
    }

    private static LamplighterConfig config(String node, boolean scheduler, int threads) {
        return LamplighterConfig.builder().nodeId(node).schedulerEnabled(scheduler).workerThreads(threads)
                .pollInterval(Duration.ofSeconds(1)).workerPollInterval(Duration.ofSeconds(1))
                .jobLease(Duration.ofSeconds(30)).jobRetryBase(Duration.ofSeconds(1)).build();
    }

    /** Holds the check of {@code schedule}, cuts its connection (or all of the node's), releases it. */
    private void cutDuringCheck(Tally t, String schedule, boolean allOfNode) throws Exception {
        Gate gate = launcher.arm(schedule);
        try {
            cutDuringCheck(t, schedule, allOfNode, gate);
        } finally {
            gate.release();   // never leave a check held, whatever failed
        }
    }

    private void cutDuringCheck(Tally t, String schedule, boolean allOfNode, Gate gate) throws Exception {
        client.trigger(schedule);
        if (!gate.entered(WAIT)) {
            throw new IllegalStateException("The check of " + schedule + " did not start within " + WAIT);
        }
        int mark = tally.mark();
        if (allOfNode) {
            terminateNode(POLLER);
        } else {
            jdbi.useHandle(h -> h.createQuery(Queries.get("terminate_backend")).bind("pid", gate.backendPid())
                    .mapTo(Boolean.class).one());
        }
        long released = System.nanoTime();
        gate.release();
        boolean launched = waitFor(() -> outcome(schedule).get("launched") instanceof Number n && n.longValue() >= 1
                && Boolean.TRUE.equals(outcome(schedule).get("advanced")));
        long recoveryMs = (System.nanoTime() - released) / 1_000_000;
        Map<String, Object> o = outcome(schedule);
        t.add(!launched, ((Number) o.get("jobs")).longValue() > 1 || ((Number) o.get("launched")).longValue() > 1,
                ((Number) o.get("failed")).intValue(), gate.passes(), recoveryMs, tally.since(mark));
    }

    /** Holds a job's handler, cuts every connection of the worker node, releases it. */
    private void cutDuringRun(Tally t, int round) throws Exception {
        Gate gate = handler.arm(round);
        try {
            cutDuringRun(t, round, gate);
        } finally {
            gate.release();
        }
    }

    private void cutDuringRun(Tally t, int round, Gate gate) throws Exception {
        long jobId = client.enqueue(JobRequest.builder(HeldHandler.JOB_TYPE).put("gate", round).maxAttempts(3).build());
        if (!gate.entered(WAIT)) {
            throw new IllegalStateException("Job " + jobId + " did not start within " + WAIT);
        }
        int mark = tally.mark();
        terminateNode(WORKER);
        long released = System.nanoTime();
        gate.release();
        boolean completed = waitFor(() -> "completed".equals(jobState(jobId).get("status")));
        long recoveryMs = (System.nanoTime() - released) / 1_000_000;
        Map<String, Object> job = jobState(jobId);
        int notCompleted = (int) attempts.stream()
                .filter(a -> a.jobId() == jobId && a.outcome() != AttemptEvent.Outcome.COMPLETED).count();
        int recordedFailed = notCompleted + (((Number) job.get("attempts")).intValue() > 1 ? 1 : 0);
        t.add(!completed, gate.passes() > 1, recordedFailed, gate.passes(), recoveryMs, tally.since(mark));
    }

    private void terminateNode(String node) {
        jdbi.useHandle(h -> h.createQuery(Queries.get("terminate_application")).bind("application", node)
                .mapTo(Long.class).one());
    }

    private Map<String, Object> outcome(String schedule) {
        return jdbi.withHandle(h -> h.createQuery(Queries.get("schedule_outcome")).bind("name", schedule).mapToMap().one());
    }

    private Map<String, Object> jobState(long jobId) {
        return jdbi.withHandle(h -> h.createQuery(Queries.get("job_state")).bind("id", jobId).mapToMap().one());
    }

    private static boolean waitFor(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);   // polling a figure in the database, not waiting for a signal of ours
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** The figures of one case, round by round. */
    private static final class Tally {
        private final String name;
        private int rounds;
        private int lost;
        private int duplicated;
        private int recordedFailed;
        private int mostPasses;
        private int errorLines;
        private long mostRecoveryMs;
        private List<LogTally.Line> firstRound = List.of();

        Tally(String name) {
            this.name = name;
        }

        void add(boolean lostOne, boolean duplicatedOne, int failed, int passes, long recoveryMs, List<LogTally.Line> lines) {
            rounds++;
            lost += lostOne ? 1 : 0;
            duplicated += duplicatedOne ? 1 : 0;
            recordedFailed += failed;
            mostPasses = Math.max(mostPasses, passes);
            errorLines += (int) lines.stream().filter(l -> l.level().equals("WARN") || l.level().equals("ERROR")).count();
            lines = lines.stream().filter(LogTally.Line::aboutAFault).toList();
            mostRecoveryMs = Math.max(mostRecoveryMs, recoveryMs);
            if (rounds == 1) {
                firstRound = lines;
            }
        }

        ConnectionLossResult.Case toCase() {
            return new ConnectionLossResult.Case(name, rounds, lost, duplicated, recordedFailed, mostPasses, errorLines,
                    mostRecoveryMs, firstRound);
        }
    }
}
