package dev.lamplighter.worker.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.Decision;
import dev.lamplighter.Launcher;
import dev.lamplighter.worker.internal.poll.PollerSettings;
import dev.lamplighter.worker.internal.poll.SchedulePoller;
import dev.lamplighter.worker.internal.poll.TickResult;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

@Tag(TestClock.TAG)
class SchedulePollerTest {

    private static final Instant START = TestClock.start();

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = new MutableClock(START);

    @BeforeEach
    void reset() {
        db.reset();
    }

    private PollerSettings settings(String node) {
        return new PollerSettings(node, Duration.ofSeconds(60), Duration.ofMinutes(2), 4242L, clock, 1000);
    }

    private SchedulePoller poller(Launcher... launchers) {
        return new SchedulePoller(jdbi, byName(launchers), settings("node-a"));
    }

    private static Map<String, Launcher> byName(Launcher... launchers) {
        return Arrays.stream(launchers).collect(java.util.stream.Collectors.toMap(Launcher::name, l -> l));
    }

    private void insertSchedule(String name, String launcher, String cron, Instant nextRun) {
        insertSchedule(name, launcher, cron, "UTC", "{}", nextRun);
    }

    private void insertSchedule(String name, String launcher, String cron, String zone, String params, Instant nextRun) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, time_zone, params, next_run)
                VALUES (:name, :launcher, :name, :cron, :zone, CAST(:params AS jsonb), :nextRun)
                """).bind("name", name).bind("launcher", launcher).bind("cron", cron).bind("zone", zone)
                .bind("params", params).bind("nextRun", nextRun).execute());
    }

    private Map<String, Object> schedule(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM lamplighter.scheduled_jobs WHERE name = :name")
                .bind("name", name).mapToMap().one());
    }

    private Instant nextRun(String name) {
        return ((java.sql.Timestamp) schedule(name).get("next_run")).toInstant();
    }

    private String text(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
    }

    private int count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }

    @Test
    void a_due_schedule_whose_launcher_launches_enqueues_one_job_and_advances_next_run() {
        insertSchedule("epistemic_remeasurement", "L", "0 * * * *", START.minusSeconds(1));
        TickResult r = poller(TestLauncher.launching("L")).runOnce();

        assertThat(r.leader()).isTrue();
        assertThat(r.launched()).isEqualTo(1);
        Map<String, Object> job = jdbi.withHandle(h -> h.createQuery("SELECT * FROM lamplighter.jobs").mapToMap().one());
        assertThat(job).containsEntry("job_type", "epistemic_remeasurement").containsEntry("status", "queued")
                .containsEntry("schedule_name", "epistemic_remeasurement").containsEntry("is_system_job", true)
                .containsEntry("job_source", "scheduled_task")
                .containsEntry("dedup_key", "epistemic_remeasurement@" + START.minusSeconds(1));
        assertThat(nextRun("epistemic_remeasurement")).isEqualTo(START.plus(Duration.ofHours(1)));
        Map<String, Object> row = schedule("epistemic_remeasurement");
        assertThat(row).containsEntry("last_outcome", "launched").containsEntry("retry_count", 0);
        assertThat(((java.sql.Timestamp) row.get("last_success")).toInstant()).isEqualTo(START);
        Map<String, Object> decision = jdbi.withHandle(h -> h.createQuery("SELECT * FROM lamplighter.decision_log").mapToMap().one());
        assertThat(decision).containsEntry("outcome", "launched").containsEntry("reason", "work is waiting")
                .containsEntry("job_id", job.get("job_id")).containsEntry("trigger_source", "cron")
                .containsEntry("node_id", "node-a");

        assertThat(poller(TestLauncher.launching("L")).runOnce().checked()).as("not due any more").isZero();
    }

    @Test
    void a_skip_is_recorded_with_its_reason_and_figures_and_resets_retry_count() {
        insertSchedule("vocab_consolidation", "L", "0 */12 * * *", START);
        jdbi.useHandle(h -> h.execute("UPDATE lamplighter.scheduled_jobs SET retry_count = 3"));
        TestLauncher launcher = new TestLauncher("L", ctx -> Decision.skip("ratio 0.05 below high watermark 0.20")
                .withFigure("ratio", 0.05).withFigure("high", 0.2));

        assertThat(poller(launcher).runOnce().skipped()).isEqualTo(1);

        assertThat(schedule("vocab_consolidation")).containsEntry("retry_count", 0).containsEntry("last_outcome", "skipped")
                .containsEntry("last_success", null);
        assertThat(count("SELECT count(*) FROM lamplighter.jobs")).isZero();
        String figures = jdbi.withHandle(h -> h.createQuery(
                "SELECT reason || ' ' || CAST(figures AS text) FROM lamplighter.decision_log WHERE outcome = 'skipped'")
                .mapTo(String.class).one());
        assertThat(figures).isEqualTo("ratio 0.05 below high watermark 0.20 {\"high\": 0.2, \"ratio\": 0.05}");
        assertThat(nextRun("vocab_consolidation")).isEqualTo(START.plus(Duration.ofHours(2)));
    }

    @Test
    void a_launcher_failing_five_times_backs_off_then_disables_and_sql_brings_it_back() throws Exception {
        insertSchedule("category_refresh", "L", "0 */6 * * *", START);
        TestLauncher launcher = new TestLauncher("L", ctx -> {
            throw new IllegalStateException("Database connection timeout");
        });
        SchedulePoller poller = poller(launcher);

        List<Duration> waits = new ArrayList<>();
        for (int retry = 1; retry <= 4; retry++) {
            assertThat(poller.runOnce().failed()).isEqualTo(1);
            Map<String, Object> row = schedule("category_refresh");
            assertThat(row).containsEntry("retry_count", retry).containsEntry("enabled", true)
                    .containsEntry("last_outcome", "failed")
                    .containsEntry("last_error", "IllegalStateException: Database connection timeout");
            Instant next = nextRun("category_refresh");
            waits.add(Duration.between(clock.instant(), next));
            clock.advance(Duration.ofSeconds(30));
            assertThat(poller.runOnce().checked()).as("not due before the backoff ends").isZero();
            clock.set(next);
        }
        assertThat(waits).containsExactly(Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofMinutes(8), Duration.ofMinutes(16));

        assertThat(poller.runOnce().failed()).isEqualTo(1);
        Map<String, Object> disabled = schedule("category_refresh");
        assertThat(disabled).containsEntry("enabled", false).containsEntry("retry_count", 5)
                .containsEntry("last_error", "IllegalStateException: Database connection timeout");
        assertThat(text("SELECT reason FROM lamplighter.decision_log ORDER BY decision_id DESC LIMIT 1"))
                .contains("retry 5/5: max retries exceeded, schedule disabled");
        clock.advance(Duration.ofHours(7));
        assertThat(poller.runOnce().checked()).as("a disabled schedule is not checked").isZero();

        launcher.answer(ctx -> Decision.launch("fixed"));
        try (Connection listener = db.database().openDedicatedConnection()) {
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN lamplighter_schedules");
            }
            jdbi.useHandle(h -> h.execute(
                    "UPDATE lamplighter.scheduled_jobs SET enabled = true, retry_count = 0 WHERE name = 'category_refresh'"));
            PGNotification[] notes = listener.unwrap(PGConnection.class).getNotifications(10_000);
            assertThat(notes).extracting(PGNotification::getParameter).contains("category_refresh");

            assertThat(poller.runOnce().launched()).as("due at once after re-enabling").isEqualTo(1);
            assertThat(schedule("category_refresh")).containsEntry("retry_count", 0).containsEntry("last_error", null);
            PGNotification[] own = listener.unwrap(PGConnection.class).getNotifications(200);
            assertThat(own == null ? List.of() : Arrays.asList(own)).as("the poll loop's own writes do not wake it").isEmpty();
        }
    }

    @Test
    void a_launcher_whose_sql_fails_is_a_failure_and_the_check_is_still_recorded() {
        insertSchedule("s", "L", "0 * * * *", START);
        TestLauncher launcher = new TestLauncher("L", ctx -> {
            try (Statement s = ctx.connection().createStatement()) {
                s.executeQuery("SELECT 1 / 0");
            }
            return Decision.skip("unreachable");
        });
        assertThat(poller(launcher).runOnce().failed()).isEqualTo(1);
        assertThat((String) schedule("s").get("last_error")).contains("division by zero");
        assertThat(count("SELECT count(*) FROM lamplighter.decision_log WHERE outcome = 'failed'")).isEqualTo(1);
    }

    @Test
    void broken_rows_are_reported_and_every_other_schedule_still_runs() {
        insertSchedule("good", "L", "0 * * * *", START);
        insertSchedule("bad_cron", "L", "99 * * * *", START);
        insertSchedule("bad_zone", "L", "0 * * * *", "Mars/Olympus_Mons", "{}", START);
        insertSchedule("bad_params", "L", "0 * * * *", "UTC", "{\"threshold\": \"ten\"}", START);
        insertSchedule("unknown_launcher", "NoSuchLauncher", "0 * * * *", START);

        TickResult r = poller(TestLauncher.launching("L")).runOnce();

        assertThat(r.launched()).isEqualTo(1);
        assertThat(r.failed()).isEqualTo(3);
        assertThat(r.notChecked()).isEqualTo(1);
        assertThat(schedule("good")).containsEntry("last_outcome", "launched");
        assertThat((String) schedule("bad_cron").get("last_error"))
                .startsWith("schedule_cron = \"99 * * * *\" is not allowed: expected 5-field UNIX cron");
        assertThat((String) schedule("bad_zone").get("last_error"))
                .startsWith("time_zone = \"Mars/Olympus_Mons\" is not allowed: expected an IANA zone id");
        assertThat((String) schedule("bad_params").get("last_error"))
                .isEqualTo("params.threshold = \"ten\" is not allowed: expected a whole number from 1 to 1000000");
        assertThat((String) schedule("unknown_launcher").get("last_error"))
                .isEqualTo("launcher = \"NoSuchLauncher\" is not registered on node node-a: expected one of [L]; "
                        + "the schedule stays due for a node that has it");
        assertThat(nextRun("unknown_launcher")).as("left due for a node that has the launcher").isEqualTo(START);
        assertThat(schedule("bad_cron")).containsEntry("retry_count", 1).containsEntry("enabled", true);

        TestLauncher other = TestLauncher.launching("NoSuchLauncher");
        SchedulePoller otherNode = new SchedulePoller(jdbi, byName(other), settings("node-b"));
        assertThat(otherNode.runOnce().launched()).as("a node with the launcher picks it up").isEqualTo(1);
    }

    @Test
    void a_schedule_whose_previous_job_is_still_queued_or_running_is_skipped() {
        insertSchedule("s", "L", "0 * * * *", START);
        TestLauncher launcher = TestLauncher.launching("L");
        SchedulePoller poller = poller(launcher);
        assertThat(poller.runOnce().launched()).isEqualTo(1);

        clock.advance(Duration.ofHours(1));
        assertThat(poller.runOnce().skipped()).isEqualTo(1);
        assertThat(launcher.checks.get()).as("the launcher is not asked").isEqualTo(1);
        assertThat(text("SELECT reason FROM lamplighter.decision_log ORDER BY decision_id DESC LIMIT 1"))
                .isEqualTo("previous job 1 is still queued");

        jdbi.useHandle(h -> h.execute("UPDATE lamplighter.jobs SET status = 'completed'"));
        clock.advance(Duration.ofHours(1));
        assertThat(poller.runOnce().launched()).isEqualTo(1);
    }

    @Test
    void missed_slots_coalesce_into_one_check() {
        insertSchedule("hourly", "L", "0 * * * *", START.minus(Duration.ofHours(5)));
        TestLauncher launcher = TestLauncher.launching("L");
        assertThat(poller(launcher).runOnce().launched()).isEqualTo(1);
        assertThat(launcher.checks.get()).isEqualTo(1);
        assertThat(nextRun("hourly")).isEqualTo(START.plus(Duration.ofHours(1)));
    }

    @Test
    void a_hitl_schedule_launches_jobs_that_wait_for_approval() {
        insertSchedule("ontology_annealing", "L", "0 */6 * * *", START);
        jdbi.useHandle(h -> h.execute("UPDATE lamplighter.scheduled_jobs SET automation = 'hitl'"));
        assertThat(poller(TestLauncher.launching("L")).runOnce().launched()).isEqualTo(1);
        assertThat(text("SELECT status FROM lamplighter.jobs"))
                .isEqualTo("awaiting_approval");
    }

    @Test
    void a_node_that_does_not_get_the_tick_lock_skips_the_tick() throws Exception {
        insertSchedule("s", "L", "0 * * * *", START);
        try (var holder = jdbi.open()) {
            holder.begin();
            holder.createQuery("SELECT pg_try_advisory_xact_lock(4242)").mapTo(Boolean.class).one();
            TickResult r = poller(TestLauncher.launching("L")).runOnce();
            assertThat(r.leader()).isFalse();
            assertThat(r.checked()).isZero();
            holder.rollback();
        }
        assertThat(poller(TestLauncher.launching("L")).runOnce().launched()).isEqualTo(1);
    }

    @Test
    void two_pollers_that_both_believe_they_hold_the_lock_launch_each_of_200_slots_exactly_once() throws Exception {
        raceTwoPollers(4242L, 4343L);
    }

    @Test
    void two_pollers_sharing_the_lock_launch_each_of_200_slots_exactly_once() throws Exception {
        raceTwoPollers(4242L, 4242L);
    }

    private void raceTwoPollers(long keyA, long keyB) throws Exception {
        jdbi.useHandle(h -> h.execute("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, next_run)
                SELECT 'race_' || i, 'L', 'race', '0 * * * *', CAST(:start AS timestamptz) - i * interval '1 second'
                FROM generate_series(1, 200) AS i
                """.replace(":start", "'" + START + "'")));
        TestLauncher launcher = TestLauncher.launching("L");
        SchedulePoller a = new SchedulePoller(jdbi, byName(launcher), settings("node-a").withAdvisoryLockKey(keyA));
        SchedulePoller b = new SchedulePoller(jdbi, byName(launcher), settings("node-b").withAdvisoryLockKey(keyB));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<TickResult> tickA = () -> {
                go.await();
                return a.runOnce();
            };
            Callable<TickResult> tickB = () -> {
                go.await();
                return b.runOnce();
            };
            Future<TickResult> ra = pool.submit(tickA);
            Future<TickResult> rb = pool.submit(tickB);
            go.countDown();
            TickResult x = ra.get(60, TimeUnit.SECONDS);
            TickResult y = rb.get(60, TimeUnit.SECONDS);
            assertThat(x.launched() + y.launched()).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("SELECT count(*) FROM lamplighter.jobs")).isEqualTo(200);
        assertThat(count("SELECT count(DISTINCT schedule_name) FROM lamplighter.jobs")).isEqualTo(200);
        assertThat(count("SELECT count(*) FROM lamplighter.decision_log")).isEqualTo(200);
        assertThat(launcher.checks.get()).isEqualTo(200);
        assertThat(count("SELECT count(*) FROM lamplighter.scheduled_jobs WHERE next_run <= '" + START + "'")).isZero();
        assertThat(OffsetDateTime.ofInstant(START, ZoneOffset.UTC)).isNotNull();
    }
}
