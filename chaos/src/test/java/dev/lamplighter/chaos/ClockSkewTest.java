package dev.lamplighter.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.chaos.racing.ChildJvm;
import dev.lamplighter.chaos.racing.Machine;
import dev.lamplighter.chaos.racing.ProgramDatabase;
import dev.lamplighter.chaos.skew.SkewNode;
import dev.lamplighter.worker.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes on the production path (no injected clock), each a JVM of its own ({@link SkewNode}):
 * one whose wall clock libfaketime moves ten minutes ahead, one ten minutes behind, one unmoved,
 * over one real PostgreSQL. Each child reports how far its {@code System.currentTimeMillis()} is
 * from the server's clock, and the test first checks that the skew is really there. Then, from the
 * tables (waiting on rows with hard timeouts, never sleeping in place of a signal):
 * <ul>
 *   <li>six interval schedules due every 1 or 2 s, checked by all three nodes in turn (each node
 *       launches slots), whose jobs are of the three nodes' own types (each node runs two
 *       schedules' jobs): no slot launched twice or checked before it was due, every slot on the
 *       grid, and after each check the next slot checked is exactly the first of the grid after the
 *       server's {@code now()} at that check, so no {@code next_run} moved ten minutes either way.
 *       A slot not launched was held back by the one-instance rule (the previous slot's job still
 *       running); slots after a late check coalesce, as on any node;</li>
 *   <li>every job a node ran holds a lease taken at the server's {@code now()} and exactly the
 *       configured length; each node's row ({@code started_at}, {@code last_seen_at}) and its
 *       singleton's lease are times of the server's clock;</li>
 *   <li>a job each node holds for longer than its lease (so the lease is extended) completes once,
 *       on the first attempt: no node rescued it, which a lease or heartbeat written from a clock
 *       ten minutes behind would have made them do;</li>
 *   <li>retention's cut-off (window 1 h) over rows planted 55 and 65 min ago: the node ahead
 *       (completed jobs) and the node behind (decision-log rows) delete the 65-min row and keep
 *       the 55-min one.</li>
 * </ul>
 * Skipped, saying how to install it, when libfaketime is not installed.
 */
class ClockSkewTest {

    /** Where Debian's and Ubuntu's {@code faketime} package puts the library. */
    static final List<String> LIBFAKETIME = List.of(
            "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
            "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
            "/usr/lib/faketime/libfaketime.so.1",
            "/usr/local/lib/faketime/libfaketime.so.1");

    static final String HOW_TO_INSTALL = "libfaketime is not installed (looked for " + String.join(", ", LIBFAKETIME)
            + "): install it with `apt-get install -y faketime` (Debian, Ubuntu; .ci/run does) to run the clock-skew test";

    private static final Duration HARD_TIMEOUT = Duration.ofSeconds(60);
    private static final long LEASE_MS = 9_000;          // extended every 3 s; the rescuers run every 4.5 s
    private static final long HOLD_MS = 12_000;          // longer than the lease: only extensions keep it
    private static final long SINGLETON_LEASE_MS = 30_000;
    private static final long TEN_MINUTES_MS = 600_000;
    private static final int SCHEDULES = 6;
    private static final int SLOTS = 12;                  // slots the 1-second schedules run

    /** node id, faketime offset (null: the JVM's own clock), expected offset in ms */
    private record Node(String id, String faketime, long offsetMs) {
    }

    private static final List<Node> NODES = List.of(
            new Node("skew-ahead", "+10m", TEN_MINUTES_MS),
            new Node("skew-behind", "-10m", -TEN_MINUTES_MS),
            new Node("skew-even", null, 0));

    private final TestDatabase db = TestDatabase.get();
    private Runnable logsBack = () -> { };

    @BeforeEach
    void setUp() {
        Assumptions.assumeTrue(libfaketime().isPresent(), HOW_TO_INSTALL);
        Assumptions.assumeTrue(uptimeSeconds() > 900, "the machine has been up less than 15 min: the node ten minutes"
                + " behind would see a negative monotonic clock (libfaketime moves it with the wall clock)");
        db.reset();
        logsBack = Machine.quietLogs();
        db.jdbi().useHandle(h -> {
            h.execute("DROP TABLE IF EXISTS public.chaos_skew_clocks, public.chaos_skew_runs");
            h.execute("CREATE TABLE public.chaos_skew_clocks (node_id text PRIMARY KEY, jvm_ms bigint NOT NULL, db_ms bigint NOT NULL)");
            h.execute("""
                    CREATE TABLE public.chaos_skew_runs (job_id bigint NOT NULL, node_id text NOT NULL, attempt int NOT NULL,
                        started_at timestamptz, locked_until timestamptz, db_now timestamptz NOT NULL, jvm_ms bigint NOT NULL,
                        mono_ms bigint NOT NULL)""");
        });
    }

    @AfterEach
    void tearDown() {
        logsBack.run();
        db.jdbi().useHandle(h -> h.execute("DROP TABLE IF EXISTS public.chaos_skew_clocks, public.chaos_skew_runs"));
    }

    /** Seconds since boot ({@code /proc/uptime}), or a day where it cannot be read. */
    private static double uptimeSeconds() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        } catch (java.io.IOException | RuntimeException e) {
            return 86_400;
        }
    }

    static Optional<Path> libfaketime() {
        return LIBFAKETIME.stream().map(Path::of).filter(Files::isReadable).findFirst();
    }

    @Test
    @Timeout(150)
    void nodes_ten_minutes_apart_behave_as_nodes_with_one_clock(@TempDir Path logs) throws Exception {
        Jdbi jdbi = db.jdbi();
        long started = System.nanoTime();
        OffsetDateTime t0 = jdbi.withHandle(h -> h.createQuery("SELECT now()").mapTo(OffsetDateTime.class).one());
        // Retention's cut-off (window 1 h): rows finished 55 and 65 min ago. The node ahead deletes
        // completed jobs, the node behind decision-log rows. On the server's clock each deletes the
        // 65-min row and keeps the 55-min one; on its own, the node ahead (cut-off 50 min ago) would
        // delete both jobs and the node behind (cut-off 70 min ago) neither decision.
        jdbi.useHandle(h -> {
            h.execute("""
                    INSERT INTO lamplighter.jobs (job_type, status, attempts, started_at, completed_at, payload)
                    SELECT 'skew_planted', 'completed', 1, now() - m * interval '1 minute', now() - m * interval '1 minute',
                           jsonb_build_object('minutes_ago', m)
                    FROM unnest(ARRAY[55, 65]) AS m""");
            h.execute("""
                    INSERT INTO lamplighter.decision_log (schedule_name, slot, decided_at, outcome, reason)
                    SELECT 'planted-skew-' || m, now() - m * interval '1 minute', now() - m * interval '1 minute',
                           'skipped', 'planted by the clock-skew test'
                    FROM unnest(ARRAY[55, 65]) AS m""");
        });
        Map<String, Process> processes = new LinkedHashMap<>();
        try {
            for (Node n : NODES) {
                processes.put(n.id(), ChildJvm.start(SkewNode.class, env(n), logs.resolve(n.id() + ".log")));
            }
            // Every node is up (its row) and has reported its clock.
            await("the three nodes start", processes, logs, () -> count(jdbi,
                    "SELECT least((SELECT count(*) FROM lamplighter.nodes WHERE node_id LIKE 'skew-%'),"
                            + " (SELECT count(*) FROM public.chaos_skew_clocks))") >= NODES.size());

            // The skew is real: each child's System.currentTimeMillis() against the server's clock.
            Map<String, Long> offsets = new HashMap<>();
            jdbi.withHandle(h -> h.createQuery("SELECT node_id, jvm_ms - db_ms AS offset_ms FROM public.chaos_skew_clocks")
                    .mapToMap().list()).forEach(r -> offsets.put((String) r.get("node_id"), ((Number) r.get("offset_ms")).longValue()));
            System.out.println("clock-skew test: JVM clock minus the server's clock, as each child read it at start");
            for (Node n : NODES) {
                System.out.printf(Locale.ROOT, "  %-12s FAKETIME=%-5s offset %+10d ms%n", n.id(),
                        n.faketime() == null ? "-" : n.faketime(), offsets.get(n.id()));
                assertThat(offsets.get(n.id())).as("clock offset of %s (libfaketime in effect?)", n.id())
                        .isBetween(n.offsetMs() - 5_000, n.offsetMs() + 5_000);
            }

            // The schedules (due now, on the server's clock) and one held job per node.
            jdbi.useHandle(h -> h.createUpdate("""
                    INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_interval, next_run, max_attempts)
                    SELECT 'skew-' || i, :launcher, :prefix || (CAST(:nodes AS text[]))[1 + i % 3],
                           (1 + i % 2) * interval '1 second', now(), 1
                    FROM generate_series(1, :count) AS i""")
                    .bind("launcher", SkewNode.LAUNCHER).bind("prefix", SkewNode.TYPE_PREFIX)
                    .bind("nodes", NODES.stream().map(Node::id).toArray(String[]::new)).bind("count", SCHEDULES).execute());
            Map<String, Long> holds = new LinkedHashMap<>();
            for (Node n : NODES) {
                holds.put(n.id(), jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO lamplighter.jobs (job_type, payload, max_attempts)
                        VALUES (:type, CAST(:payload AS jsonb), 3) RETURNING job_id""")
                        .bind("type", SkewNode.TYPE_PREFIX + n.id()).bind("payload", "{\"hold_ms\": " + HOLD_MS + "}")
                        .mapTo(Long.class).one()));
            }

            // (b) While the held jobs run: leases, node rows, singletons, each from the server's clock.
            await("each node runs its held job and holds its singleton", processes, logs, () -> count(jdbi, """
                    SELECT (SELECT count(*) FROM lamplighter.jobs WHERE job_type LIKE 'chaos_skew_%' AND schedule_name IS NULL AND status = 'running')
                         + (SELECT count(*) FROM lamplighter.singletons WHERE name LIKE 'chaos-skew-%' AND owner IS NOT NULL)""")
                    >= 2L * NODES.size());
            List<Map<String, Object>> nodeRows = jdbi.withHandle(h -> h.createQuery("""
                    SELECT n.node_id,
                           n.started_at BETWEEN :t0 AND now() AS started_from_db,
                           n.last_seen_at BETWEEN n.started_at AND now() AS seen_from_db,
                           CAST(extract(epoch FROM now() - n.last_seen_at) * 1000 AS bigint) AS seen_ms_ago,
                           s.owner = n.node_id AS holds_singleton,
                           s.acquired_at BETWEEN :t0 AND now() AND s.renewed_at BETWEEN s.acquired_at AND now() AS singleton_from_db,
                           CAST(extract(epoch FROM s.lease_until - s.renewed_at) * 1000 AS bigint) AS singleton_lease_ms,
                           j.started_at BETWEEN :t0 AND now() AS held_started_from_db,
                           j.locked_until - :leaseMs * interval '1 millisecond' BETWEEN j.started_at AND now() AS held_lease_from_db,
                           CAST(extract(epoch FROM j.locked_until - now()) * 1000 AS bigint) AS held_lease_left_ms
                    FROM lamplighter.nodes n
                    LEFT JOIN lamplighter.singletons s ON s.name = 'chaos-skew-' || n.node_id
                    LEFT JOIN lamplighter.jobs j ON j.job_type = 'chaos_skew_' || n.node_id AND j.schedule_name IS NULL
                    WHERE n.node_id LIKE 'skew-%'
                    ORDER BY n.node_id""").bind("t0", t0).bind("leaseMs", LEASE_MS).mapToMap().list());
            System.out.println("  while the held jobs run (node rows, singleton leases, held jobs' leases):");
            for (Map<String, Object> r : nodeRows) {
                System.out.println("    " + r);
                assertThat(r).as("node row of %s", r.get("node_id"))
                        .containsEntry("started_from_db", true).containsEntry("seen_from_db", true)
                        .containsEntry("holds_singleton", true).containsEntry("singleton_from_db", true)
                        .containsEntry("singleton_lease_ms", SINGLETON_LEASE_MS)
                        .containsEntry("held_started_from_db", true).containsEntry("held_lease_from_db", true);
                assertThat((Long) r.get("seen_ms_ago")).as("last_seen_at of %s, ms before the server's now()", r.get("node_id"))
                        .isBetween(0L, 35_000L);
                assertThat((Long) r.get("held_lease_left_ms")).as("lease left on the held job of %s", r.get("node_id"))
                        .isBetween(0L, LEASE_MS);
            }

            // (a) and (c): the schedules run until every node has launched slots and the 1-second
            // schedules have run SLOTS slots, and the held jobs have ended.
            await("the schedules run " + SLOTS + " slots, launched by every node, and the held jobs end", processes, logs, () ->
                    count(jdbi, "SELECT count(DISTINCT slot) FROM lamplighter.decision_log WHERE schedule_name = 'skew-2'") >= SLOTS
                    && count(jdbi, "SELECT count(DISTINCT node_id) FROM lamplighter.decision_log WHERE schedule_name LIKE 'skew-%' AND outcome = 'launched'")
                            >= NODES.size()
                    && count(jdbi, "SELECT count(*) FROM lamplighter.jobs WHERE job_type LIKE 'chaos_skew_%' AND schedule_name IS NULL AND status NOT IN ('queued', 'running')")
                            >= NODES.size()
                    && count(jdbi, "SELECT (SELECT count(*) FROM lamplighter.jobs WHERE job_type = 'skew_planted')"
                            + " + (SELECT count(*) FROM lamplighter.decision_log WHERE schedule_name LIKE 'planted-skew-%')") <= 2);
            Map<String, Object> nextRuns = jdbi.withHandle(h -> h.createQuery("""
                    SELECT count(*) AS schedules,
                           CAST(extract(epoch FROM min(next_run - now())) * 1000 AS bigint) AS min_ahead_ms,
                           CAST(extract(epoch FROM max(next_run - now())) * 1000 AS bigint) AS max_ahead_ms,
                           bool_and(next_run - now() <= schedule_interval) AS within_one_interval
                    FROM lamplighter.scheduled_jobs WHERE name LIKE 'skew-%'""").mapToMap().one());
            System.out.println("  next_run against the server's now(), schedules still running: " + nextRuns);
            assertThat(nextRuns).containsEntry("schedules", (long) SCHEDULES).containsEntry("within_one_interval", true);
            assertThat((Long) nextRuns.get("min_ahead_ms")).as("next_run against now(), ms (ten minutes back: -600,000)")
                    .isGreaterThan(-30_000L);

            // No new slots: then every launched job finishes.
            jdbi.useHandle(h -> h.execute("UPDATE lamplighter.scheduled_jobs SET enabled = false WHERE name LIKE 'skew-%'"));
            await("every launched job ends", processes, logs, () -> count(jdbi,
                    "SELECT count(*) FROM lamplighter.jobs WHERE job_type LIKE 'chaos_skew%' AND status IN ('queued', 'running')") == 0);
        } finally {
            stop(processes);
        }

        Map<String, Object> slots = jdbi.withHandle(h -> h.createQuery("""
                WITH d AS (
                    SELECT d.schedule_name, d.slot, d.decided_at, d.outcome, d.reason, d.node_id, s.created_at AS first_slot,
                           CAST(extract(epoch FROM s.schedule_interval) * 1000 AS bigint) AS every_ms
                    FROM lamplighter.decision_log d
                    JOIN lamplighter.scheduled_jobs s ON s.name = d.schedule_name
                    WHERE d.schedule_name LIKE 'skew-%'
                ), per_slot AS (
                    SELECT schedule_name, slot, first_slot, every_ms,
                           count(*) FILTER (WHERE outcome = 'launched') AS launched, count(*) AS checks
                    FROM d GROUP BY schedule_name, slot, first_slot, every_ms
                ), per_schedule AS (
                    SELECT schedule_name, count(*) AS slots,
                           CAST(extract(epoch FROM max(slot) - min(slot)) * 1000 AS bigint) / min(every_ms) + 1 AS span,
                           min(slot) = min(first_slot) AS starts_at_first
                    FROM per_slot GROUP BY schedule_name
                ), next_slot AS (
                    -- After a check, next_run is the first slot of the grid after the server's now()
                    -- at that check (decided_at): the next slot checked must be exactly that one.
                    SELECT d.slot, d.decided_at, d.every_ms,
                           lead(d.slot) OVER (PARTITION BY d.schedule_name ORDER BY d.slot) AS next
                    FROM d
                )
                SELECT (SELECT count(*) FROM per_slot) AS slots,
                       (SELECT count(*) FROM per_slot WHERE launched = 1) AS launched_once,
                       (SELECT count(*) FROM per_slot WHERE launched = 0) AS not_launched,
                       (SELECT count(*) FROM d WHERE outcome = 'skipped' AND reason LIKE 'previous job %') AS held_back,
                       (SELECT count(*) FROM d WHERE outcome <> 'launched' AND NOT (outcome = 'skipped' AND reason LIKE 'previous job %'))
                           AS other_outcomes,
                       (SELECT count(*) FROM next_slot WHERE next IS NOT NULL
                        AND NOT (next > decided_at AND next - every_ms * interval '1 millisecond' <= decided_at)) AS next_slot_off,
                       (SELECT count(*) FROM per_slot WHERE launched > 1) AS launched_twice,
                       (SELECT count(*) FROM per_slot WHERE checks > 1) AS checked_twice,
                       (SELECT count(*) FROM per_slot
                        WHERE CAST(extract(epoch FROM slot - first_slot) * 1000 AS bigint) % every_ms <> 0) AS off_timetable,
                       (SELECT coalesce(sum(span - slots), 0) FROM per_schedule) AS coalesced,
                       (SELECT bool_and(starts_at_first) FROM per_schedule) AS first_slot_checked,
                       (SELECT count(*) FROM d WHERE decided_at < slot) AS checked_early,
                       (SELECT CAST(extract(epoch FROM max(decided_at - slot)) * 1000 AS bigint) FROM d) AS latest_check_ms,
                       (SELECT CAST(extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY decided_at - slot)) * 1000 AS bigint)
                        FROM d) AS median_check_ms,
                       (SELECT string_agg(node_id || ' ' || n, ', ' ORDER BY node_id)
                        FROM (SELECT node_id, count(*) AS n FROM d WHERE outcome = 'launched' GROUP BY node_id) x) AS launched_by
                """).mapToMap().one());
        Map<String, Object> jobs = jdbi.withHandle(h -> h.createQuery("""
                WITH r AS (SELECT job_id, count(*) AS runs FROM public.chaos_skew_runs GROUP BY job_id)
                SELECT count(*) AS jobs,
                       count(*) FILTER (WHERE j.status = 'completed') AS completed,
                       count(*) FILTER (WHERE j.attempts = 1) AS first_attempt,
                       count(*) FILTER (WHERE coalesce(r.runs, 0) = 1) AS run_once,
                       count(*) - count(DISTINCT j.dedup_key) AS same_slot
                FROM lamplighter.jobs j LEFT JOIN r USING (job_id)
                WHERE j.schedule_name LIKE 'skew-%'""").mapToMap().one());
        List<Map<String, Object>> leases = jdbi.withHandle(h -> h.createQuery("""
                SELECT r.node_id, count(*) AS runs,
                       count(*) FILTER (WHERE started_at BETWEEN :t0 AND db_now) AS started_in_window,
                       count(*) FILTER (WHERE locked_until - started_at = :leaseMs * interval '1 millisecond') AS lease_exact,
                       count(*) FILTER (WHERE locked_until - :leaseMs * interval '1 millisecond' BETWEEN started_at AND db_now)
                           AS lease_taken_in_window,
                       CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY r.jvm_ms - extract(epoch FROM r.db_now) * 1000) AS bigint)
                           AS handler_clock_offset_ms,
                       CAST(max(abs(mono_ms - (extract(epoch FROM db_now) * 1000 - c.db_ms))) AS bigint) AS nano_time_drift_ms,
                       max(mono_ms) AS nano_time_span_ms
                FROM public.chaos_skew_runs r JOIN public.chaos_skew_clocks c USING (node_id)
                GROUP BY r.node_id ORDER BY r.node_id""")
                .bind("t0", t0).bind("leaseMs", LEASE_MS).mapToMap().list());
        List<Map<String, Object>> held = jdbi.withHandle(h -> h.createQuery("""
                SELECT j.job_type, j.status, j.attempts, (SELECT count(*) FROM public.chaos_skew_runs r WHERE r.job_id = j.job_id) AS runs,
                       CAST(j.result ->> 'node' AS text) AS ran_on,
                       CAST(extract(epoch FROM j.completed_at - j.started_at) * 1000 AS bigint) AS held_ms
                FROM lamplighter.jobs j WHERE j.job_type LIKE 'chaos_skew_%' AND j.schedule_name IS NULL ORDER BY j.job_type""").mapToMap().list());

        Map<String, Object> retention = jdbi.withHandle(h -> h.createQuery("""
                SELECT (SELECT string_agg(payload ->> 'minutes_ago', ',') FROM lamplighter.jobs WHERE job_type = 'skew_planted')
                           AS completed_jobs_kept_min_ago,
                       (SELECT string_agg(substr(schedule_name, 14), ',') FROM lamplighter.decision_log
                        WHERE schedule_name LIKE 'planted-skew-%') AS decisions_kept_min_ago""").mapToMap().one());
        System.out.println("  retention, window 1 h, rows planted 55 and 65 min ago: " + retention);
        System.out.printf(Locale.ROOT, "  schedules (%d, every 1 or 2 s): %s%n", SCHEDULES, slots);
        System.out.println("  scheduled jobs: " + jobs);
        System.out.println("  every execution, per node (lease as stored when the handler started; handler's clock offset):");
        leases.forEach(r -> System.out.println("    " + r));
        System.out.println("  held jobs (" + HOLD_MS + " ms each, lease " + LEASE_MS + " ms):");
        held.forEach(r -> System.out.println("    " + r));
        System.out.printf(Locale.ROOT, "  %.1f s; %s%n", (System.nanoTime() - started) / 1e9, Machine.describe(Machine.load()));

        // (a) every due slot launched exactly once, on the server's timetable.
        long slotCount = (Long) slots.get("slots");
        assertThat(slotCount).isGreaterThanOrEqualTo(SLOTS + SLOTS / 2L);
        assertThat(slots).containsEntry("launched_twice", 0L).containsEntry("checked_twice", 0L)
                .containsEntry("off_timetable", 0L).containsEntry("next_slot_off", 0L).containsEntry("other_outcomes", 0L)
                .containsEntry("first_slot_checked", true).containsEntry("checked_early", 0L);
        // A slot not launched was held back by the one-instance rule (the previous slot's job still
        // running on a busy machine), decided on time like the others.
        assertThat((Long) slots.get("launched_once") + (Long) slots.get("held_back")).isEqualTo(slotCount);
        long launchedSlots = (Long) slots.get("launched_once");
        assertThat((Long) slots.get("latest_check_ms")).as("latest check after its slot, ms (ten minutes: 600,000)")
                .isLessThan(30_000L);
        for (Node n : NODES) {
            assertThat((String) slots.get("launched_by")).as("slots launched by each node").contains(n.id() + " ");
        }
        assertThat(jobs).containsEntry("jobs", launchedSlots).containsEntry("completed", launchedSlots)
                .containsEntry("first_attempt", launchedSlots).containsEntry("run_once", launchedSlots).containsEntry("same_slot", 0L);

        // (b) every lease a node took: at the server's now(), exactly the configured length.
        assertThat(leases).hasSize(NODES.size());
        for (Map<String, Object> r : leases) {
            Node n = NODES.stream().filter(x -> x.id().equals(r.get("node_id"))).findFirst().orElseThrow();
            assertThat(r.get("started_in_window")).as("jobs of %s started at a server time", n.id()).isEqualTo(r.get("runs"));
            assertThat(r.get("lease_taken_in_window")).as("leases of %s taken at a server time", n.id()).isEqualTo(r.get("runs"));
            // Exactly the lease after started_at unless the heartbeat extended it (from now()) before the handler looked.
            assertThat((Long) r.get("lease_exact")).as("leases of %s exactly %d ms after the claim", n.id(), LEASE_MS).isPositive();
            assertThat((Long) r.get("nano_time_drift_ms")).as("System.nanoTime against the server's clock on %s", n.id())
                    .isLessThan(3_000L);
            assertThat((Long) r.get("handler_clock_offset_ms")).as("%s's clock while it ran jobs", n.id())
                    .isBetween(n.offsetMs() - 5_000, n.offsetMs() + 5_000);
        }

        // Retention: the node ahead and the node behind cut at an hour before the server's now().
        assertThat(retention).containsEntry("completed_jobs_kept_min_ago", "55").containsEntry("decisions_kept_min_ago", "55");

        // (c) each held job: run once by its own node, on the first attempt, for longer than its lease.
        assertThat(held).hasSize(NODES.size());
        for (Map<String, Object> r : held) {
            assertThat(r).as("held job %s", r.get("job_type")).containsEntry("status", "completed")
                    .containsEntry("attempts", 1).containsEntry("runs", 1L)
                    .containsEntry("ran_on", ((String) r.get("job_type")).substring(SkewNode.TYPE_PREFIX.length()));
            assertThat((Long) r.get("held_ms")).isGreaterThanOrEqualTo(HOLD_MS);
        }
    }

    private Map<String, String> env(Node n) {
        var info = db.database().connectionInfo();
        Map<String, String> env = new HashMap<>(Map.of(
                "LAMPLIGHTER_DATABASE_URL", ProgramDatabase.urlWithCredentials(info.jdbcUrl(), info.user(), info.password()),
                "LAMPLIGHTER_NODE_ID", n.id(),
                "LAMPLIGHTER_POLL_INTERVAL", "1s",
                "LAMPLIGHTER_WORKER_THREADS", "4",
                "LAMPLIGHTER_WORKER_POLL_INTERVAL", "1s",
                "LAMPLIGHTER_JOB_LEASE", LEASE_MS / 1000 + "s",
                "LAMPLIGHTER_MIGRATE", "false",
                "LAMPLIGHTER_RETENTION", Boolean.toString(n.offsetMs() != 0),
                "LAMPLIGHTER_RETENTION_INTERVAL", "10s"));
        // Retention: the node ahead deletes completed jobs, the node behind decision-log rows.
        env.put("LAMPLIGHTER_RETAIN_COMPLETED", n.offsetMs() > 0 ? "1h" : "forever");
        env.put("LAMPLIGHTER_RETAIN_FAILED", "forever");
        env.put("LAMPLIGHTER_RETAIN_DECISIONS", n.offsetMs() < 0 ? "1h" : "forever");
        if (n.faketime() != null) {
            env.put("LD_PRELOAD", libfaketime().orElseThrow().toString());
            env.put("FAKETIME", n.faketime());
            // A relative FAKETIME moves CLOCK_MONOTONIC (System.nanoTime) by the same constant, so the
            // durations the nodes measure with it stay true (the test checks them against the server's
            // clock). FAKETIME_DONT_FAKE_MONOTONIC=1 would leave it alone, but with libfaketime 0.9.10
            // it makes a node's JVM start five times slower (9 s against 1.8 s of CPU).
        }
        return env;
    }

    private static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    /** Polls the tables every 200 ms until {@code done}; fails after the hard timeout or when a node exits. */
    private static void await(String what, Map<String, Process> processes, Path logs, BooleanSupplier done) throws Exception {
        long from = System.nanoTime();
        long deadline = from + HARD_TIMEOUT.toNanos();
        while (!done.getAsBoolean()) {
            for (var p : processes.entrySet()) {
                if (!p.getValue().isAlive()) {
                    throw new AssertionError(p.getKey() + " exited with " + p.getValue().exitValue() + " before: " + what
                            + "; its log:\n" + Files.readString(logs.resolve(p.getKey() + ".log")));
                }
            }
            if (System.nanoTime() > deadline) {
                StringBuilder tails = new StringBuilder();
                try (Stream<Path> files = Files.list(logs)) {
                    for (Path f : files.toList()) {
                        List<String> lines = Files.readAllLines(f);
                        tails.append("\n--- ").append(f.getFileName()).append('\n')
                                .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
                    }
                }
                throw new AssertionError("Timed out after " + HARD_TIMEOUT.toSeconds() + " s waiting until " + what + tails);
            }
            Thread.sleep(200);   // polling interval of the wait, not a stand-in for a signal
        }
        System.out.printf(Locale.ROOT, "  [%.1f s until %s]%n", (System.nanoTime() - from) / 1e9, what);
    }

    private static void stop(Map<String, Process> processes) throws InterruptedException {
        List<Process> all = new ArrayList<>(processes.values());
        all.forEach(Process::destroy);
        for (Process p : all) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
