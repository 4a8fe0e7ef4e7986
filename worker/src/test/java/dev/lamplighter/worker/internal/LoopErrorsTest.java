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
    void an_outage_logs_one_warn_line_per_retry_interval_and_one_info_line_when_it_ends() throws Exception {
        Exception refused = refusedConnection();
        assertThat(LoopErrors.isConnectionError(refused)).isTrue();

        for (int i = 0; i < 50; i++) {             // 50 failures within 5 s at a 5 s retry interval
            errors.failed(refused, Duration.ofSeconds(5));
            nanos.addAndGet(Duration.ofMillis(100).toNanos());
        }
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        errors.failed(refused, Duration.ofSeconds(5));   // 6 s into the outage: the second WARN
        errors.succeeded();
        errors.succeeded();

        assertThat(at(Level.WARN)).hasSize(2).allSatisfy(e -> {
            assertThat(e.getFormattedMessage()).startsWith("Test loop cannot reach the database; retrying in 5s: PSQLException: ")
                    .doesNotContain("\n");
            assertThat(e.getThrowableProxy()).isNull();
        });
        assertThat(at(Level.INFO)).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .isEqualTo("Test loop reached the database again after 6s (51 failed attempt(s))"));
        assertThat(at(Level.ERROR)).isEmpty();
        assertThat(errors.inOutage()).isFalse();
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
