package dev.lamplighter.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.JobSource;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** {@link LamplighterClient#enqueueAll}: many jobs in one statement, with dedup per request. */
@Tag(TestClock.TAG)
class BulkEnqueueTest {

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final DataSource dataSource = db.database().dataSource();
    private final MutableClock clock = TestClock.mutable();
    private final LamplighterClient client = LamplighterClient.create(dataSource, clock);

    @BeforeEach
    void reset() {
        db.reset();
    }

    @Test
    void ten_thousand_jobs_in_one_batch_get_ids_in_request_order_and_rows_as_requested() {
        Instant later = clock.instant().plus(Duration.ofHours(2));
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            JobRequest.Builder b = JobRequest.builder(i % 2 == 0 ? "even" : "odd").put("n", i).priority(i % 7);
            if (i % 10 == 0) {
                b.runAt(later).maxAttempts(5).timeout(Duration.ofSeconds(30)).source(JobSource.MANUAL).dedupKey("k" + i);
            }
            requests.add(b.build());
        }

        List<Long> ids = client.enqueueAll(requests);

        assertThat(ids).hasSize(10_000).doesNotContainNull().isSorted().doesNotHaveDuplicates();
        List<Map<String, Object>> rows = jdbi.withHandle(h -> h.createQuery(
                "SELECT job_id, job_type, status, (payload->>'n')::int AS n, priority, run_at, max_attempts, "
                        + "timeout_ms, job_source, dedup_key FROM lamplighter.jobs ORDER BY job_id").mapToMap().list());
        assertThat(rows).hasSize(10_000);
        for (int i = 0; i < 10_000; i += 1) {
            Map<String, Object> row = rows.get(i);
            assertThat(row.get("job_id")).isEqualTo(ids.get(i));
            assertThat(row).containsEntry("n", i).containsEntry("priority", i % 7).containsEntry("status", "queued")
                    .containsEntry("job_type", i % 2 == 0 ? "even" : "odd");
            Instant runAt = ((java.sql.Timestamp) row.get("run_at")).toInstant();
            if (i % 10 == 0) {
                assertThat(runAt).isEqualTo(later);
                assertThat(row).containsEntry("max_attempts", 5).containsEntry("timeout_ms", 30_000L)
                        .containsEntry("job_source", "manual").containsEntry("dedup_key", "k" + i);
            } else {
                assertThat(runAt).as("run_at without one of its own is the client's clock").isEqualTo(clock.instant());
                assertThat(row).containsEntry("max_attempts", JobRequest.DEFAULT_MAX_ATTEMPTS)
                        .containsEntry("timeout_ms", null).containsEntry("job_source", "api")
                        .containsEntry("dedup_key", null);
            }
        }
    }

    @Test
    void a_dedup_key_taken_in_the_table_or_earlier_in_the_batch_inserts_nothing_and_maps_to_the_holder() {
        long existing = client.enqueue(JobRequest.builder("mail").dedupKey("taken").build());

        List<Long> ids = client.enqueueAll(List.of(
                JobRequest.builder("mail").put("i", 0).build(),
                JobRequest.builder("mail").put("i", 1).dedupKey("taken").build(),
                JobRequest.builder("mail").put("i", 2).dedupKey("twice").build(),
                JobRequest.builder("mail").put("i", 3).dedupKey("twice").build(),
                JobRequest.builder("mail").put("i", 4).build()));

        assertThat(ids.get(1)).isEqualTo(existing);
        assertThat(ids.get(3)).as("the second request with a key maps to the first").isEqualTo(ids.get(2));
        assertThat(ids.get(0)).isNotEqualTo(ids.get(4));
        List<String> payloads = jdbi.withHandle(h -> h.createQuery("SELECT payload->>'i' FROM lamplighter.jobs ORDER BY job_id")
                .mapTo(String.class).list());
        assertThat(payloads).as("the holders keep their payloads").containsExactly(null, "0", "2", "4");
        assertThat(ids).containsExactly(ids.get(0), existing, ids.get(2), ids.get(2), ids.get(4));

        List<Long> again = client.enqueueAll(List.of(JobRequest.builder("mail").dedupKey("twice").build()));
        assertThat(again).containsExactly(ids.get(2));
        assertThat(count()).isEqualTo(4);
    }

    @Test
    void a_key_taken_by_a_transaction_that_commits_while_the_batch_waits_maps_to_that_job() throws Exception {
        try (Connection other = db.database().openDedicatedConnection()) {
            other.setAutoCommit(false);
            long theirs;
            try (Statement s = other.createStatement();
                 var rs = s.executeQuery("INSERT INTO lamplighter.jobs (job_type, dedup_key) VALUES ('mail', 'race') RETURNING job_id")) {
                rs.next();
                theirs = rs.getLong(1);
            }
            var batch = java.util.concurrent.CompletableFuture.supplyAsync(() -> client.enqueueAll(List.of(
                    JobRequest.builder("mail").build(), JobRequest.builder("mail").dedupKey("race").build())));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!waitingOnLock()) {
                assertThat(System.nanoTime()).as("the batch waits for the other transaction's key").isLessThan(deadline);
                Thread.onSpinWait();
            }
            other.commit();
            List<Long> ids = batch.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(ids.get(1)).isEqualTo(theirs);
            assertThat(ids.get(0)).isNotEqualTo(theirs);
            assertThat(count()).isEqualTo(2);
        }
    }

    private boolean waitingOnLock() {
        return jdbi.withHandle(h -> h.createQuery("SELECT exists (SELECT FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                + "AND query LIKE '%lamplighter.jobs%')").mapTo(Boolean.class).one());
    }

    @Test
    void a_batch_in_a_caller_transaction_that_rolls_back_inserts_nothing() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<Long> ids = client.enqueueAll(c, List.of(JobRequest.builder("a").build(), JobRequest.builder("b").build()));
            assertThat(ids).hasSize(2);
            c.rollback();
        }
        assertThat(count()).isZero();
    }

    @Test
    void a_batch_wakes_listeners_once_per_job_type() throws Exception {
        try (Connection listener = db.database().openDedicatedConnection()) {
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN lamplighter_jobs");
            }
            List<JobRequest> requests = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                requests.add(JobRequest.builder(List.of("a", "b", "c").get(i % 3)).build());
            }
            client.enqueueAll(requests);
            PGNotification[] notes = listener.unwrap(PGConnection.class).getNotifications(10_000);
            List<PGNotification> all = new ArrayList<>(Arrays.asList(notes));
            PGNotification[] more;
            while ((more = listener.unwrap(PGConnection.class).getNotifications(300)) != null && more.length > 0) {
                all.addAll(Arrays.asList(more));
            }
            assertThat(all).extracting(PGNotification::getParameter).containsExactlyInAnyOrder("a", "b", "c");
        }
    }

    @Test
    void a_batch_calls_the_notify_trigger_once_per_statement_not_once_per_row() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL track_functions = 'pl'");
            }
            List<JobRequest> requests = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                requests.add(JobRequest.builder("t" + (i % 2)).build());
            }
            client.enqueueAll(c, requests);
            long calls;
            try (Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT coalesce(sum(pg_stat_get_xact_function_calls(p.oid)), 0) "
                         + "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                         + "WHERE n.nspname = 'lamplighter' AND p.proname LIKE 'notify_job%'")) {
                rs.next();
                calls = rs.getLong(1);
            }
            c.rollback();
            assertThat(calls).as("trigger function calls for a batch of 1,000 jobs").isEqualTo(1);
        }
    }

    @Test
    void a_batch_with_a_null_request_or_a_bad_payload_is_refused_naming_its_index_and_inserts_nothing() {
        List<JobRequest> requests = new ArrayList<>(List.of(JobRequest.builder("a").build()));
        requests.add(null);
        assertThatThrownBy(() -> client.enqueueAll(requests))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("requests[1] = null is not allowed: expected a JobRequest");
        assertThatThrownBy(() -> client.enqueueAll(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("requests = null is not allowed");
        assertThatThrownBy(() -> client.enqueueAll(List.of(JobRequest.builder("a").build(),
                JobRequest.builder("b").put("x", new Object()).build())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("requests[1] (job type 'b'): payload is not allowed: expected values that serialize to JSON");
        assertThat(client.enqueueAll(List.of())).isEmpty();
        assertThat(count()).isZero();
    }

    private int count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM lamplighter.jobs").mapTo(Integer.class).one());
    }
}
