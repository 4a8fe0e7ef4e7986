package dev.lamplighter.chaos.killed;

import dev.lamplighter.chaos.racing.ChildJvm;
import dev.lamplighter.chaos.racing.ProgramDatabase;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.worker.internal.db.Database;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * One killed-workers run: enqueues the jobs, keeps {@code workers} worker processes
 * ({@link WorkerNode}) running, and each time another share of the jobs is done kills with SIGKILL
 * the worker holding the most jobs and starts a new process in its place at once. Then it waits for
 * every job to end and reads what happened. A trigger on {@code lamplighter.jobs}, there only while
 * the run lasts, records every rescue with the node it was taken from.
 */
public final class KillRun {

    private final dev.lamplighter.worker.internal.db.ConnectionInfo info;
    private final String databaseUrl;
    private final int workers;
    private final int jobs;
    private final int kills;
    private final long workMs;
    private final Duration lease;
    private final Path logDir;
    private final Map<Integer, Process> processes = new HashMap<>();
    private final Map<Integer, String> nodes = new HashMap<>();
    private final Map<Integer, Integer> incarnations = new HashMap<>();

    /**
     * @param databaseUrl the database, as in {@code LAMPLIGHTER_DATABASE_URL} (see {@link ProgramDatabase#url()})
     * @param workers worker processes kept running
     * @param jobs jobs to run
     * @param kills how many times a worker is killed
     * @param workMs each job's work
     * @param lease the workers' job lease ({@code LAMPLIGHTER_JOB_LEASE}, 5 s at least)
     * @param logDir where each worker's log goes
     */
    public KillRun(String databaseUrl, int workers, int jobs, int kills, long workMs, Duration lease, Path logDir) {
        this.info = dev.lamplighter.worker.internal.db.ConnectionInfo.parse("LAMPLIGHTER_DATABASE_URL", databaseUrl);
        this.databaseUrl = databaseUrl;
        this.workers = workers;
        this.jobs = jobs;
        this.kills = kills;
        this.workMs = workMs;
        this.lease = lease;
        this.logDir = logDir;
    }

    /**
     * Runs it.
     *
     * @return the figures
     * @throws IOException when a worker cannot start
     * @throws InterruptedException if interrupted
     */
    public KillFigures run() throws IOException, InterruptedException {
        long started = System.nanoTime();
        try (Database control = Database.connect(info, 3, "killed-control")) {
            Jdbi jdbi = control.jdbi();
            jdbi.useHandle(h -> {
                h.execute(KilledSql.CREATE_EXECUTIONS);
                h.execute(KilledSql.CREATE_EXECUTIONS_INDEX);
                h.execute(KilledSql.CREATE_STARTS);
                h.execute(KilledSql.CREATE_RESCUES);
                h.execute(KilledSql.CREATE_RESCUE_FUNCTION);
                h.execute(KilledSql.DROP_RESCUE_TRIGGER);
                h.execute(KilledSql.CLEAR);
                h.createUpdate(KilledSql.DELETE_JOBS).bind("jobType", ExecutionRecorder.JOB_TYPE).execute();
                h.execute(KilledSql.CREATE_RESCUE_TRIGGER);
            });
            List<Kill> done = new ArrayList<>();
            List<String> killed = new ArrayList<>();
            try {
                enqueue(control);
                for (int slot = 1; slot <= workers; slot++) {
                    startWorker(slot);
                }
                Deadline deadline = new Deadline(Duration.ofMinutes(5).plusMillis(jobs * workMs * 4 / workers));
                while (claimedNodes(jdbi).size() < workers) {
                    deadline.check("every worker claimed once");
                    pause();
                }
                List<Pending> pending = new ArrayList<>();
                for (int k = 1; k <= kills; k++) {
                    long target = (long) jobs * k / (kills + 1);
                    while (count(jdbi, "completed") < target) {
                        requireRunning();
                        deadline.check(target + " jobs completed");
                        pause();
                    }
                    pending.add(killBusiest(jdbi, deadline));
                    killed.add(pending.get(pending.size() - 1).node());
                }
                while (count(jdbi, "completed") + count(jdbi, "failed") < jobs) {
                    requireRunning();
                    deadline.check("every job ended");
                    pause();
                }
                for (Pending p : pending) {
                    done.add(p.outcome(jdbi));
                }
            } finally {
                stopAll();
                jdbi.useHandle(h -> h.execute(KilledSql.DROP_RESCUE_TRIGGER));
            }
            return read(jdbi, done, killed, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private void enqueue(Database control) {
        LamplighterClient client = LamplighterClient.create(control.dataSource());
        List<JobRequest> batch = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            batch.add(JobRequest.builder(ExecutionRecorder.JOB_TYPE).put("work_ms", workMs).maxAttempts(25).build());
            if (batch.size() == 1000 || i == jobs - 1) {
                client.enqueueAll(batch);
                batch.clear();
            }
        }
    }

    private void startWorker(int slot) throws IOException {
        int incarnation = incarnations.merge(slot, 1, Integer::sum);
        String node = "killed-w" + slot + "-" + incarnation;
        Map<String, String> env = new HashMap<>();
        env.put("LAMPLIGHTER_DATABASE_URL", databaseUrl);
        env.put("LAMPLIGHTER_NODE_ID", node);
        env.put("LAMPLIGHTER_SCHEDULER", "false");
        env.put("LAMPLIGHTER_RETENTION", "false");
        env.put("LAMPLIGHTER_WORKER_THREADS", "4");
        env.put("LAMPLIGHTER_JOB_LEASE", lease.toMillis() + "ms");
        processes.put(slot, ChildJvm.start(WorkerNode.class, env, logDir.resolve(node + ".log")));
        nodes.put(slot, node);
    }

    /** Kills the live worker that holds the most jobs, notes what it held, and starts its successor. */
    private Pending killBusiest(Jdbi jdbi, Deadline deadline) throws IOException, InterruptedException {
        while (true) {
            List<String> live = claimedNodes(jdbi);
            Optional<String> victim = jdbi.withHandle(h -> h.createQuery(KilledSql.BUSIEST_NODE)
                    .bind("jobType", ExecutionRecorder.JOB_TYPE).bind("nodes", live.toArray(String[]::new))
                    .map((rs, ctx) -> rs.getString("node")).findOne());
            if (victim.isPresent()) {
                int slot = slotOf(victim.get());
                Process p = processes.get(slot);
                p.destroyForcibly();   // SIGKILL
                p.waitFor();
                Instant killedAt = jdbi.withHandle(h -> h.createQuery(KilledSql.DB_NOW).mapTo(Instant.class).one());
                List<Long> held = jdbi.withHandle(h -> h.createQuery(KilledSql.IN_FLIGHT)
                        .bind("jobType", ExecutionRecorder.JOB_TYPE).bind("node", victim.get()).mapTo(Long.class).list());
                startWorker(slot);
                return new Pending(victim.get(), killedAt, held);
            }
            deadline.check("a worker with jobs in flight");
            pause();
        }
    }

    private int slotOf(String node) {
        return nodes.entrySet().stream().filter(e -> e.getValue().equals(node)).findFirst().orElseThrow().getKey();
    }

    private List<String> claimedNodes(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery(KilledSql.CLAIMED_NODES)
                .bind("nodes", nodes.values().toArray(String[]::new)).mapTo(String.class).list());
    }

    private static long count(Jdbi jdbi, String status) {
        return jdbi.withHandle(h -> h.createQuery(KilledSql.COUNT_STATUS).bind("jobType", ExecutionRecorder.JOB_TYPE)
                .bind("status", status).mapTo(Long.class).one());
    }

    private void requireRunning() {
        processes.forEach((slot, p) -> {
            if (!p.isAlive()) {
                throw new IllegalStateException("Worker " + nodes.get(slot) + " exited by itself with " + p.exitValue()
                        + ": see " + logDir.resolve(nodes.get(slot) + ".log"));
            }
        });
    }

    /** Between two reads of a figure that other processes change (there is no signal to wait for). */
    private static void pause() throws InterruptedException {
        Thread.sleep(50);
    }

    private void stopAll() throws InterruptedException {
        processes.values().forEach(Process::destroy);
        for (Process p : processes.values()) {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private KillFigures read(Jdbi jdbi, List<Kill> done, List<String> killed, Duration took) {
        try (Handle h = jdbi.open()) {
            Map<String, Object> runs = h.createQuery(KilledSql.RUN_COUNTS).bind("jobType", ExecutionRecorder.JOB_TYPE)
                    .bind("killed", killed.toArray(String[]::new)).mapToMap().one();
            List<StartPhases> starts = h.createQuery(KilledSql.START_PHASES)
                    .map((rs, ctx) -> new StartPhases(rs.getString("node"), rs.getDouble("jvm"), rs.getDouble("pool"),
                            rs.getDouble("flyway"), rs.getDouble("node_start"), rs.getDouble("to_claim"), rs.getDouble("total")))
                    .list();
            return new KillFigures(workers, jobs, workMs, lease, count(jdbi, "completed"), count(jdbi, "failed"),
                    n(runs, "run_more_than_once"), n(runs, "earlier_executions"), n(runs, "matched_to_rescue"),
                    n(runs, "same_attempt_twice"), n(runs, "completed_unrun"), done, starts, took);
        }
    }

    private static long n(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).longValue();
    }

    /** A kill whose rescues are read once the run is over. */
    private record Pending(String node, Instant killedAt, List<Long> held) {
        Kill outcome(Jdbi jdbi) {
            Map<String, Object> r = jdbi.withHandle(h -> h.createQuery(KilledSql.RESCUE_TIMES).bind("node", node)
                    .bind("jobIds", held.toArray(Long[]::new)).mapToMap().one());
            Instant first = instant(r.get("first_rescue"));
            Instant last = instant(r.get("last_rescue"));
            return new Kill(node, held.size(), ((Number) r.get("rescued")).longValue(),
                    first == null ? null : Duration.between(killedAt, first),
                    last == null ? null : Duration.between(killedAt, last));
        }

        private static Instant instant(Object value) {
            if (value == null) {
                return null;
            }
            if (value instanceof java.sql.Timestamp t) {
                return t.toInstant();
            }
            if (value instanceof java.time.OffsetDateTime o) {
                return o.toInstant();
            }
            throw new IllegalStateException("unexpected timestamp type " + value.getClass());
        }
    }

    /** A hard limit on the whole run, so that a hang fails with what it was waiting for. */
    private static final class Deadline {
        private final long at;
        private final Duration limit;

        Deadline(Duration limit) {
            this.limit = limit;
            this.at = System.nanoTime() + limit.toNanos();
        }

        void check(String waitingFor) {
            if (System.nanoTime() > at) {
                throw new IllegalStateException("Killed workers: still waiting for " + waitingFor + " after " + limit);
            }
        }
    }
}
