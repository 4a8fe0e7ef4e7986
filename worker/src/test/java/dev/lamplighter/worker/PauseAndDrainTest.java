package dev.lamplighter.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.Decision;
import dev.lamplighter.JobHandler;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.worker.events.AttemptEvent;
import dev.lamplighter.worker.events.LamplighterListener;
import dev.lamplighter.worker.internal.poll.TickResult;
import dev.lamplighter.worker.testing.LogCapture;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The cluster's pause ({@code lamplighter.cluster_state}) and the drain of one node
 * ({@code lamplighter.nodes.drain_requested_at}), as operators set them by SQL: nothing is checked
 * or claimed while paused, running jobs finish, resume acts at once through NOTIFY and, with LISTEN
 * off, at the heartbeat; a drained node's work moves to the other node and the node says it is
 * drained. The poll loop ticks every hour and the workers poll every 5 minutes, so only the signals under test can wake them.
 */
@Tag(TestClock.TAG)
class PauseAndDrainTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TestDatabase db = TestDatabase.get();
    private final MutableClock clock = TestClock.mutable();

    @BeforeEach
    void reset() {
        db.reset();
        // reset() truncates every table; the migration's one row comes back as it was.
        sql("INSERT INTO lamplighter.cluster_state (id) VALUES (true)");
    }

    /** Launches every time it is asked, and counts the asks. */
    static final class AlwaysLauncher implements Launcher {
        final AtomicInteger checks = new AtomicInteger();
        final CountDownLatch checked = new CountDownLatch(1);

        @Override
        public Decision checkConditions(LaunchContext ctx) {
            checks.incrementAndGet();
            checked.countDown();
            return Decision.launch("always");
        }
    }

    /** Counts down when a job of {@code type} completed (its outcome written). */
    static LamplighterListener completions(Map<String, CountDownLatch> latches) {
        return new LamplighterListener() {
            @Override
            public void attemptEnded(AttemptEvent event) {
                if (event.outcome() == AttemptEvent.Outcome.COMPLETED && latches.containsKey(event.jobType())) {
                    latches.get(event.jobType()).countDown();
                }
            }
        };
    }

    private Lamplighter.Builder node(String id, boolean listen) {
        return Lamplighter.builder(db.database().dataSource())
                .config(LamplighterConfig.builder().nodeId(id).migrate(false).listen(listen).clock(clock)
                        .pollInterval(Duration.ofHours(1)).workerPollInterval(Duration.ofMinutes(5)).workerThreads(2)
                        .build());
    }

    @Test
    void a_paused_cluster_checks_and_claims_nothing_running_jobs_finish_and_resume_by_notify_acts_at_once() throws Exception {
        CountDownLatch holdStarted = new CountDownLatch(1);
        CountDownLatch holdRelease = new CountDownLatch(1);
        Map<String, CountDownLatch> completed = Map.of("hold", new CountDownLatch(1), "work", new CountDownLatch(3));
        AlwaysLauncher launcher = new AlwaysLauncher();
        java.util.concurrent.atomic.AtomicReference<CountDownLatch> ticked = new java.util.concurrent.atomic.AtomicReference<>(
                new CountDownLatch(1));
        try (Lamplighter node = node("pausing", true)
                .launcher(launcher)
                .listener(new LamplighterListener() {
                    @Override
                    public void tickEnded(dev.lamplighter.worker.events.TickEvent event) {
                        ticked.get().countDown();
                    }
                })
                .listener(completions(completed))
                .handler(JobHandler.of("hold", ctx -> {
                    holdStarted.countDown();
                    holdRelease.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    return Map.of();
                }))
                .handler(JobHandler.of("work", ctx -> Map.of()))
                .start()) {
            long hold = node.client().enqueue(JobRequest.builder("hold").build());
            assertThat(holdStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the first job runs").isTrue();

            CountDownLatch seen = new CountDownLatch(1);
            node.cluster().onChange(seen::countDown);
            sql("UPDATE lamplighter.cluster_state SET paused = true, reason = 'database maintenance'");
            assertThat(seen.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("NOTIFY lamplighter_cluster reached the node").isTrue();
            assertThat(node.cluster().paused()).isTrue();

            // Enqueue still works; a due schedule waits.
            node.client().enqueue(JobRequest.builder("work").build());
            node.client().enqueue(JobRequest.builder("work").build());
            ticked.set(new CountDownLatch(1));
            sql("INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_interval, next_run) "
                    + "VALUES ('while_paused', 'AlwaysLauncher', 'work', interval '1 hour', '" + clock.instant() + "')");
            assertThat(ticked.get().await(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("the schedule's NOTIFY woke the poll loop for a tick").isTrue();
            TickResult tick = node.poller().runOnce();
            assertThat(tick.checked()).isZero();
            assertThat(launcher.checks).hasValue(0);
            assertThat(count("SELECT count(*) FROM lamplighter.decision_log")).as("the decision log gets nothing").isZero();
            assertThat(node.workers().runOnce()).as("a claim while paused takes nothing").isZero();

            holdRelease.countDown();
            assertThat(completed.get("hold").await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the running job completes").isTrue();
            assertThat(status(hold)).isEqualTo("completed");
            assertThat(count("SELECT count(*) FROM lamplighter.jobs WHERE job_type = 'work' AND status = 'queued'"))
                    .as("queued jobs wait while paused: %s", jobs()).isEqualTo(2);

            sql("UPDATE lamplighter.cluster_state SET paused = false");
            assertThat(launcher.checked.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("resume wakes the poll loop").isTrue();
            assertThat(completed.get("work").await(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("resume wakes the workers: the two queued jobs and the launched one run").isTrue();
            assertThat(count("SELECT count(*) FROM lamplighter.decision_log WHERE schedule_name = 'while_paused'")).isEqualTo(1);
        }
    }

    @Test
    void the_trigger_fills_who_and_since_and_resume_clears_them_and_the_row_cannot_be_deleted() {
        sql("UPDATE lamplighter.cluster_state SET paused = true, reason = 'upgrade'");
        Map<String, Object> row = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT paused, reason, paused_by, paused_at IS NOT NULL AS since FROM lamplighter.cluster_state").mapToMap().one());
        assertThat(row).containsEntry("paused", true).containsEntry("reason", "upgrade").containsEntry("since", true);
        assertThat((String) row.get("paused_by")).isNotBlank();
        sql("UPDATE lamplighter.cluster_state SET paused = false");
        Map<String, Object> resumed = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT reason, paused_by, paused_at FROM lamplighter.cluster_state").mapToMap().one());
        assertThat(resumed.values()).containsOnlyNulls();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sql("UPDATE lamplighter.cluster_state SET paused = true"))
                .hasMessageContaining("cluster_state_reason_when_paused");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sql("INSERT INTO lamplighter.cluster_state (id) VALUES (false)"))
                .hasMessageContaining("cluster_state_one_row");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sql("DELETE FROM lamplighter.cluster_state"))
                .hasMessageContaining("keeps its one row");
    }

    @Test
    void with_listen_off_the_heartbeat_brings_the_pause_and_the_resume() throws Exception {
        Map<String, CountDownLatch> completed = Map.of("work", new CountDownLatch(1));
        try (LogCapture logs = new LogCapture();
             Lamplighter node = node("polling", false)
                .listener(completions(completed))
                .handler(JobHandler.of("work", ctx -> Map.of()))
                .start()) {
            sql("UPDATE lamplighter.cluster_state SET paused = true, reason = 'behind pgbouncer'");
            assertThat(node.cluster().paused()).as("no LISTEN: not seen before the heartbeat").isFalse();
            node.heartbeat().runOnce();
            assertThat(node.cluster().paused()).isTrue();
            node.heartbeat().runOnce();
            node.poller().runOnce();
            node.poller().runOnce();
            assertThat(logs.infos()).as("one INFO line when the pause starts, not one per beat or tick")
                    .filteredOn(line -> line.contains("Cluster paused")).singleElement().asString()
                    .contains("(behind pgbouncer): node polling checks no schedule and claims no job until resumed");

            long id = node.client().enqueue(JobRequest.builder("work").build());
            assertThat(node.workers().runOnce()).isZero();
            assertThat(status(id)).isEqualTo("queued");

            sql("UPDATE lamplighter.cluster_state SET paused = false");
            node.heartbeat().runOnce();
            assertThat(completed.get("work").await(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("the heartbeat's read woke the worker loop (it polls every 5 minutes)").isTrue();
            assertThat(status(id)).isEqualTo("completed");
        }
    }

    @Test
    void a_drained_node_gives_its_work_to_the_other_finishes_its_running_job_and_says_it_is_drained() throws Exception {
        CountDownLatch holdStarted = new CountDownLatch(1);
        CountDownLatch holdRelease = new CountDownLatch(1);
        int jobs = 20;
        CountDownLatch done = new CountDownLatch(jobs);
        Map<Long, String> ranOn = new ConcurrentHashMap<>();
        java.util.function.Function<String, JobHandler> work = nodeId -> JobHandler.of("work", ctx -> {
            ranOn.put(ctx.jobId(), nodeId);
            done.countDown();
            return Map.of();
        });
        try (Lamplighter a = node("node-a", true)
                .handler(work.apply("node-a"))
                .handler(JobHandler.of("hold", ctx -> {
                    holdStarted.countDown();
                    holdRelease.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    return Map.of();
                }))
                .start()) {
            long hold = a.client().enqueue(JobRequest.builder("hold").build());
            assertThat(holdStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            try (Lamplighter b = node("node-b", true).handler(work.apply("node-b")).start()) {
                CountDownLatch drainSeen = new CountDownLatch(1);
                a.cluster().onChange(drainSeen::countDown);
                sql("UPDATE lamplighter.nodes SET drain_requested_at = now() WHERE node_id = 'node-a'");
                assertThat(drainSeen.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(a.cluster().drainRequested()).isTrue();
                assertThat(b.cluster().open()).as("the other node is not drained").isTrue();

                for (int i = 0; i < jobs; i++) {
                    b.client().enqueue(JobRequest.builder("work").put("i", i).build());
                }
                assertThat(done.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(List.copyOf(ranOn.values())).as("every job ran on the node that is not drained")
                        .hasSize(jobs).containsOnly("node-b");
                assertThat(drainedAt("node-a")).as("not drained while its job runs").isNull();

                CountDownLatch drained = new CountDownLatch(1);
                a.cluster().onChange(drained::countDown);
                holdRelease.countDown();
                assertThat(drained.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the node says it is drained").isTrue();
                assertThat(status(hold)).as("the drained node's running job completed normally").isEqualTo("completed");
                assertThat(drainedAt("node-a")).as("node-a reports itself drained").isNotNull();

                CountDownLatch undrained = new CountDownLatch(1);
                a.cluster().onChange(undrained::countDown);
                sql("UPDATE lamplighter.nodes SET drain_requested_at = NULL, drained_at = NULL WHERE node_id = 'node-a'");
                assertThat(undrained.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(a.cluster().open()).isTrue();
            }
        }
    }

    @Test
    void a_node_announces_the_schedules_it_declares_and_starts_undrained() {
        sql("INSERT INTO lamplighter.nodes (node_id, hostname, pid, version, drain_requested_at, drained_at) "
                + "VALUES ('declaring', 'h', 1, 'v', now(), now())");
        try (Lamplighter node = node("declaring", true)
                .schedule(dev.lamplighter.Schedule.builder("nightly").cron("0 3 * * *").launcher(new AlwaysLauncher())
                        .jobType("work").build())
                .start()) {
            Map<String, Object> row = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT declared_schedules, drain_requested_at FROM lamplighter.nodes WHERE node_id = 'declaring'")
                    .mapToMap().one());
            assertThat(row.get("drain_requested_at")).isNull();
            assertThat(row.get("declared_schedules").toString()).isEqualTo("{nightly}");
            assertThat(node.cluster().open()).isTrue();
        }
    }

    private Object drainedAt(String nodeId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT drained_at FROM lamplighter.nodes WHERE node_id = :id")
                .bind("id", nodeId).mapToMap().one().get("drained_at"));
    }

    private String status(long id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT status FROM lamplighter.jobs WHERE job_id = :id")
                .bind("id", id).mapTo(String.class).one());
    }

    private String jobs() {
        return db.jdbi().withHandle(h -> h.createQuery(
                "SELECT string_agg(job_id || ' ' || job_type || ' ' || status || ' ' || coalesce(locked_by, '-'), ', ') FROM lamplighter.jobs")
                .mapTo(String.class).one());
    }

    private long count(String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private void sql(String sql) {
        db.jdbi().useHandle(h -> h.execute(sql));
    }
}
