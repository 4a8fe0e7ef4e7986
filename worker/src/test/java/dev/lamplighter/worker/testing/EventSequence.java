package dev.lamplighter.worker.testing;

import dev.lamplighter.Decision;
import dev.lamplighter.JobContext;
import dev.lamplighter.JobHandler;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import dev.lamplighter.Schedule;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.events.AttemptEvent;
import dev.lamplighter.worker.events.CheckEvent;
import dev.lamplighter.worker.events.LamplighterListener;
import dev.lamplighter.worker.events.TickEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * A known sequence of events on a running node, for the tests of the listener and of the metrics
 * built on it: a launch (its job completes), a skip (condition not met), a launcher failure that
 * disables its schedule (max_retries 1), a job that fails, is retried and fails for good, a job
 * that times out, and a rescue of a job whose lease ran out. Every step waits for the
 * {@link Recorder}'s events, inside a hard timeout; time moves on the test clock only.
 */
public final class EventSequence {

    /** How long any one step may take before the test fails. */
    public static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

    private EventSequence() {
    }

    /** Launches, skips or throws. */
    record Fixed(String name, String what) implements Launcher {
        @Override
        public Decision checkConditions(LaunchContext ctx) {
            return switch (what) {
                case "launch" -> Decision.launch("work is waiting");
                case "skip" -> Decision.skip("nothing to do");
                default -> throw new IllegalStateException("the source is down");
            };
        }
    }

    /**
     * A node builder with the sequence's schedules and handlers: {@code ev_launch}, {@code ev_skip},
     * {@code ev_broken}; job types {@code ev_ok}, {@code ev_flaky}, {@code ev_slow}.
     */
    public static Lamplighter.Builder node(DataSource dataSource, MutableClock clock, String nodeId) {
        LamplighterConfig config = LamplighterConfig.builder().clock(clock).nodeId(nodeId)
                .pollInterval(Duration.ofHours(1)).workerPollInterval(Duration.ofMinutes(5))
                .jobLease(LamplighterConfig.MIN_JOB_LEASE).build();
        CountDownLatch never = new CountDownLatch(1);
        return Lamplighter.builder(dataSource).config(config)
                .handler(JobHandler.of("ev_ok", ctx -> Map.of("ok", true)))
                .handler(JobHandler.of("ev_flaky", ctx -> {
                    throw new IllegalStateException("flaky attempt " + ctx.attempt());
                }))
                .handler(new JobHandler() {
                    @Override
                    public String jobType() {
                        return "ev_slow";
                    }

                    @Override
                    public Map<String, Object> run(JobContext ctx) throws Exception {
                        never.await();   // until the time limit interrupts it
                        return Map.of();
                    }
                })
                .schedule(schedule("ev_launch", "launch", "ev_ok"))
                .schedule(schedule("ev_skip", "skip", "ev_ok"))
                .schedule(schedule("ev_broken", "throw", "ev_ok"));
    }

    private static Schedule schedule(String name, String what, String jobType) {
        return Schedule.builder(name).cron("0 0 1 1 *").launcher(new Fixed(name + "_launcher", what)).jobType(jobType)
                .maxRetries(1).build();
    }

    /** Runs the sequence on a started node built from {@link #node}, waiting on {@code events}. */
    public static void run(Lamplighter node, Jdbi jdbi, MutableClock clock, Recorder events) throws InterruptedException {
        node.client().trigger("ev_launch");
        node.client().trigger("ev_skip");
        node.client().trigger("ev_broken");
        events.await("3 checks and the launched job's completion",
                () -> events.checks().size() >= 3 && events.attempts("ev_ok", AttemptEvent.Outcome.COMPLETED) >= 1);

        node.client().enqueue(JobRequest.builder("ev_flaky").maxAttempts(2).build());
        events.await("the flaky job's first failure", () -> events.attempts("ev_flaky", AttemptEvent.Outcome.RETRIED) >= 1);
        clock.advance(Duration.ofDays(1));   // past its backoff, on the test clock
        jdbi.useHandle(h -> h.execute("NOTIFY lamplighter_jobs, 'ev_flaky'"));
        events.await("the flaky job's last failure", () -> events.attempts("ev_flaky", AttemptEvent.Outcome.FAILED) >= 1);

        node.client().enqueue(JobRequest.builder("ev_slow").maxAttempts(1).timeout(Duration.ofMillis(200)).build());
        events.await("the slow job's timeout", () -> events.attempts("ev_slow", AttemptEvent.Outcome.TIMED_OUT) >= 1);

        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.jobs (job_type, status, payload, attempts, max_attempts, locked_by, locked_until,
                                              started_at, run_at)
                VALUES ('ev_ghost', 'running', '{}', 1, 3, 'gone-node', CAST(:expired AS timestamptz),
                        CAST(:expired AS timestamptz), CAST(:expired AS timestamptz))""")
                .bind("expired", clock.instant().minus(Duration.ofMinutes(1)).toString()).execute());
        events.await("the rescue of the job whose lease ran out", () -> events.rescued("ev_ghost") >= 1);
    }

    /** Records every event, and lets a test wait for a condition on them (woken by each event). */
    public static final class Recorder implements LamplighterListener {
        private final List<TickEvent> ticks = new ArrayList<>();
        private final List<CheckEvent> checks = new ArrayList<>();
        private final List<String> disabled = new ArrayList<>();
        private final List<Map.Entry<String, Integer>> claims = new ArrayList<>();
        private final List<AttemptEvent> attempts = new ArrayList<>();
        private final List<Map.Entry<String, Integer>> rescues = new ArrayList<>();

        @Override
        public synchronized void tickEnded(TickEvent event) {
            ticks.add(event);
            notifyAll();
        }

        @Override
        public synchronized void checked(CheckEvent event) {
            checks.add(event);
            notifyAll();
        }

        @Override
        public synchronized void scheduleDisabled(String schedule, String error) {
            disabled.add(schedule + ": " + error);
            notifyAll();
        }

        @Override
        public synchronized void claimed(String jobType, int count) {
            claims.add(Map.entry(jobType, count));
            notifyAll();
        }

        @Override
        public synchronized void attemptEnded(AttemptEvent event) {
            attempts.add(event);
            notifyAll();
        }

        @Override
        public synchronized void rescued(String jobType, int count) {
            rescues.add(Map.entry(jobType, count));
            notifyAll();
        }

        public synchronized List<TickEvent> ticks() {
            return List.copyOf(ticks);
        }

        public synchronized List<CheckEvent> checks() {
            return List.copyOf(checks);
        }

        public synchronized List<String> disabled() {
            return List.copyOf(disabled);
        }

        public synchronized List<AttemptEvent> attempts() {
            return List.copyOf(attempts);
        }

        /** Jobs of {@code jobType} claimed, over every claim. */
        public synchronized int claimed(String jobType) {
            return claims.stream().filter(e -> e.getKey().equals(jobType)).mapToInt(Map.Entry::getValue).sum();
        }

        public synchronized long attempts(String jobType, AttemptEvent.Outcome outcome) {
            return attempts.stream().filter(a -> a.jobType().equals(jobType) && a.outcome() == outcome).count();
        }

        public synchronized int rescued(String jobType) {
            return rescues.stream().filter(e -> e.getKey().equals(jobType)).mapToInt(Map.Entry::getValue).sum();
        }

        /** Waits until {@code condition} holds, woken by each event; fails after {@link #STEP_TIMEOUT}. */
        public synchronized void await(String what, BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out after " + STEP_TIMEOUT + " waiting for " + what + "; events: "
                            + checks + " " + attempts + " claims " + claims + " rescues " + rescues);
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
