package dev.lamplighter.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.lamplighter.JobHandler;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.worker.internal.queue.WorkerPool;
import dev.lamplighter.worker.internal.queue.WorkerSettings;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What a queue logs: completions at DEBUG, a failed attempt as one WARN line, a job failed for good as one ERROR with its trace. */
@Tag(TestClock.TAG)
class WorkerLogTest {

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = TestClock.mutable();
    private final LamplighterClient client = LamplighterClient.create(db.database().dataSource(), clock);
    private final Logger poolLog = (Logger) LoggerFactory.getLogger(WorkerPool.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Level previous;

    @BeforeEach
    void attach() {
        db.reset();
        previous = poolLog.getLevel();
        poolLog.setLevel(Level.DEBUG);
        appender.start();
        poolLog.addAppender(appender);
    }

    @AfterEach
    void detach() {
        poolLog.detachAppender(appender);
        poolLog.setLevel(previous);
    }

    private List<ILoggingEvent> at(Level level) {
        return appender.list.stream().filter(e -> e.getLevel() == level).toList();
    }

    private WorkerSettings settings() {
        return new WorkerSettings("w1", 1, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(10),
                Duration.ofHours(1), Duration.ofMillis(200), clock);
    }

    @Test
    void completions_log_at_debug_a_failed_attempt_warns_in_one_line_a_job_failed_for_good_errors_with_its_trace() {
        WorkerPool pool = new WorkerPool(jdbi, Map.of(
                "ok", JobHandler.of("ok", ctx -> Map.of()),
                "flaky", JobHandler.of("flaky", ctx -> {
                    throw new IllegalStateException("upstream said no");
                })), settings());

        for (int i = 0; i < 5; i++) {
            client.enqueue(JobRequest.builder("ok").build());
        }
        while (pool.runOnce() > 0) {
            // drain
        }
        assertThat(at(Level.INFO)).as("no INFO line per completed job").isEmpty();
        assertThat(at(Level.DEBUG).stream().filter(e -> e.getFormattedMessage().contains("completed"))).hasSize(5);

        long id = client.enqueue(JobRequest.builder("flaky").maxAttempts(2).build());
        pool.runOnce();
        assertThat(at(Level.WARN)).hasSize(1);
        ILoggingEvent warn = at(Level.WARN).get(0);
        assertThat(warn.getFormattedMessage()).startsWith("Job " + id + " (flaky) attempt 1/2 failed, retrying in ")
                .endsWith(": IllegalStateException: upstream said no");
        assertThat(warn.getThrowableProxy()).as("no stack trace for an attempt that will be retried").isNull();

        clock.advance(Duration.ofMinutes(1));
        pool.runOnce();
        assertThat(at(Level.ERROR)).hasSize(1);
        ILoggingEvent error = at(Level.ERROR).get(0);
        assertThat(error.getFormattedMessage())
                .isEqualTo("Job " + id + " (flaky) failed after 2 attempt(s): IllegalStateException: upstream said no");
        assertThat(error.getThrowableProxy()).as("the stack trace of the last attempt").isNotNull();
        assertThat(at(Level.WARN)).hasSize(1);
    }
}
