package dev.lamplighter.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.lamplighter.worker.testing.TestDatabase;
import java.net.ServerSocket;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoopErrorsTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("test.loop-errors");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final AtomicLong nanos = new AtomicLong();
    private final LoopErrors errors = new LoopErrors(logger, "Test loop", nanos::get);

    @BeforeEach
    void attach() {
        logger.setLevel(Level.DEBUG);
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
    }

    /** A real refused connection: a port that was free a moment ago and nobody listens on. */
    private static Exception refusedConnection() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return (Exception) catchThrowable(() -> DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=2", "postgres", ""));
    }

    private List<ILoggingEvent> at(Level level) {
        return appender.list.stream().filter(e -> e.getLevel() == level).toList();
    }

    @Test
    void an_outage_logs_one_warn_line_when_it_starts_and_one_info_line_when_it_ends() throws Exception {
        Exception refused = refusedConnection();
        assertThat(LoopErrors.isConnectionError(refused)).isTrue();

        for (int i = 0; i < 60; i++) {             // a restart: 60 failures, one every 500 ms, 30 s in all
            errors.failed(refused, Duration.ofMillis(500));
            nanos.addAndGet(Duration.ofMillis(500).toNanos());
        }
        errors.succeeded();
        errors.succeeded();

        assertThat(at(Level.WARN)).singleElement().satisfies(e -> {
            assertThat(e.getFormattedMessage()).startsWith("Test loop cannot reach the database; retrying in 500ms: PSQLException: ")
                    .doesNotContain("\n");
            assertThat(e.getThrowableProxy()).isNull();
        });
        assertThat(at(Level.INFO)).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .isEqualTo("Test loop reached the database again after 30s (60 failed attempt(s))"));
        assertThat(at(Level.ERROR)).isEmpty();
        assertThat(errors.inOutage()).isFalse();
    }

    @Test
    void an_outage_that_lasts_is_recalled_once_per_reminder_interval() throws Exception {
        Exception refused = refusedConnection();

        for (int i = 0; i < 11 * 60; i++) {        // 11 min of failures, one a second
            errors.failed(refused, Duration.ofSeconds(1));
            nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        }

        assertThat(at(Level.WARN)).extracting(ILoggingEvent::getFormattedMessage).hasSize(3)
                .satisfies(lines -> {
                    assertThat(lines.get(0)).startsWith("Test loop cannot reach the database; retrying in 1s: ");
                    assertThat(lines.get(1)).startsWith("Test loop still cannot reach the database after 5min (301 failed attempt(s)); retrying in 1s: ");
                    assertThat(lines.get(2)).startsWith("Test loop still cannot reach the database after 10min (601 failed attempt(s)); ");
                });
        assertThat(errors.inOutage()).isTrue();
    }

    @Test
    void an_error_that_is_not_a_connection_error_gets_its_stack_trace_once_and_no_statement_text() {
        Jdbi jdbi = TestDatabase.get().jdbi();
        Exception bad = (Exception) catchThrowable(() -> jdbi.useHandle(h -> h.execute("SELECT no_such_column FROM lamplighter.jobs")));
        assertThat(LoopErrors.isConnectionError(bad)).isFalse();

        errors.failed(bad, Duration.ofSeconds(60));
        errors.failed(bad, Duration.ofSeconds(60));

        assertThat(at(Level.ERROR)).hasSize(2);
        assertThat(at(Level.ERROR).get(0).getThrowableProxy()).as("first time: with its stack trace").isNotNull();
        assertThat(at(Level.ERROR).get(1).getThrowableProxy()).as("then one line").isNull();
        assertThat(at(Level.ERROR).get(1).getFormattedMessage())
                .isEqualTo("Test loop failed again; retrying in 1min: PSQLException: ERROR: column \"no_such_column\" does not exist")
                .doesNotContain("statement");
        assertThat(errors.inOutage()).isFalse();
    }
}
