package dev.lamplighter.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.lamplighter.JobHandler;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.worker.internal.queue.JobRescuer;
import dev.lamplighter.worker.internal.queue.WorkerPool;
import dev.lamplighter.worker.internal.queue.WorkerSettings;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A queued job whose type no live node handles is reported, not left waiting without a word, and costs no spin. */
@Tag(TestClock.TAG)
class QueueStatusTest {

    private static final Instant START = TestClock.start();

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = new MutableClock(START);
    private final LamplighterClient client = LamplighterClient.create(db.database().dataSource(), clock);
    private final Logger rescuerLog = (Logger) LoggerFactory.getLogger(JobRescuer.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void reset() {
        db.reset();
        appender.start();
        rescuerLog.addAppender(appender);
    }

    @AfterEach
    void detach() {
        rescuerLog.detachAppender(appender);
    }

    private WorkerSettings settings() {
        return new WorkerSettings("w1", 2, Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofSeconds(10),
                Duration.ofHours(1), Duration.ofMillis(200), clock);
    }

    /** A node row as the node heartbeat writes it, last seen at {@code seen} (the test clock). */
    private void node(String id, Instant seen, String... jobTypes) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO lamplighter.nodes (node_id, hostname, pid, version, started_at, last_seen_at, job_types)
                        VALUES (:id, 'host', 1, 'test', CAST(:seen AS timestamptz), CAST(:seen AS timestamptz),
                                CAST(:types AS text[]))""")
                .bind("id", id).bind("seen", seen).bind("types", jobTypes).execute());
    }

    private List<String> lines(Level level) {
        return appender.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void a_queued_job_whose_type_no_live_node_handles_is_logged_once_naming_the_type_and_what_live_nodes_handle() {
        node("n1", START, "reindex", "echo");
        node("gone", START.minus(Duration.ofHours(1)), "orphan");
        client.enqueue(JobRequest.builder("orphan").build());
        client.enqueue(JobRequest.builder("orphan").runAt(START.minusSeconds(30)).build());
        client.enqueue(JobRequest.builder("echo").build());
        JobRescuer rescuer = new JobRescuer(jdbi, settings());

        for (int pass = 0; pass < 3; pass++) {
            rescuer.runOnce();
        }

        assertThat(lines(Level.WARN)).as("one line per type, not one per pass").containsExactly(
                "2 queued job(s) of type 'orphan' (oldest run_at " + START.minusSeconds(30)
                        + ") wait for a handler: no live node handles 'orphan'; the live nodes handle [echo, reindex]");

        node("n2", START, "orphan");
        rescuer.runOnce();
        assertThat(lines(Level.INFO)).containsExactly("Queued jobs of type 'orphan' no longer wait without a handler");
        assertThat(lines(Level.WARN)).hasSize(1);
    }

    @Test
    void queue_status_shows_per_type_what_waits_and_whether_a_live_node_handles_it() {
        // The view is for operators and reads the database's own clock, so these rows use it too.
        jdbi.useHandle(h -> {
            h.execute("""
                    INSERT INTO lamplighter.nodes (node_id, hostname, pid, version, job_types)
                    VALUES ('n1', 'host', 1, 'test', '{echo}'),
                           ('n2', 'host', 2, 'test', '{echo,reindex}')""");
            h.execute("""
                    INSERT INTO lamplighter.jobs (job_type, run_at) VALUES
                        ('orphan', now() - interval '10 minutes'), ('orphan', now() + interval '1 hour'),
                        ('echo', now() - interval '1 minute')""");
            h.execute("""
                    INSERT INTO lamplighter.jobs (job_type, status, attempts, locked_by, locked_until)
                    VALUES ('echo', 'running', 1, 'n1', now() + interval '5 minutes')""");
        });
        Map<String, Map<String, Object>> byType = new java.util.HashMap<>();
        jdbi.withHandle(h -> h.createQuery("""
                        SELECT job_type, queued, due, running, handled, CAST(handled_by AS text) AS handled_by,
                               oldest_run_at < now() - interval '9 minutes' AS oldest_is_the_overdue_one
                        FROM lamplighter.queue_status""").mapToMap().list())
                .forEach(row -> byType.put((String) row.get("job_type"), row));

        assertThat(byType).containsOnlyKeys("orphan", "echo");
        assertThat(byType.get("orphan")).containsEntry("queued", 2L).containsEntry("due", 1L).containsEntry("running", 0L)
                .containsEntry("handled", false).containsEntry("handled_by", "{}")
                .containsEntry("oldest_is_the_overdue_one", true);
        assertThat(byType.get("echo")).containsEntry("queued", 1L).containsEntry("due", 1L).containsEntry("running", 1L)
                .containsEntry("handled", true).containsEntry("handled_by", "{n1,n2}");
    }

    @Test
    void jobs_no_worker_can_take_do_not_make_the_worker_loop_spin() throws Exception {
        client.enqueue(JobRequest.builder("orphan").build());                          // no handler here
        long locked = client.enqueue(JobRequest.builder("t").build());                // due, but locked elsewhere
        client.enqueue(JobRequest.builder("t").runAt(START.plus(Duration.ofHours(1))).build());   // not due for an hour
        CountDownLatch spinning = new CountDownLatch(10);
        Jdbi counting = Jdbi.create(db.database().dataSource()).installPlugin(new PostgresPlugin());
        counting.getConfig(SqlStatements.class).setSqlLogger(new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext ctx) {
                if (ctx.getRawSql().contains("j.attempts + 1")) {
                    spinning.countDown();
                }
            }
        });
        WorkerPool pool = new WorkerPool(counting, Map.of("t", JobHandler.of("t", ctx -> Map.of())), settings());
        try (Handle other = jdbi.open()) {
            other.begin();
            other.createQuery("SELECT job_id FROM lamplighter.jobs WHERE job_id = :id FOR UPDATE")
                    .bind("id", locked).mapTo(Long.class).one();
            pool.start();
            pool.wake();
            assertThat(spinning.await(2, TimeUnit.SECONDS))
                    .as("a handful of claims (start, wake), then the loop waits for the poll interval").isFalse();
            other.rollback();
        } finally {
            pool.stop();
        }
    }
}
