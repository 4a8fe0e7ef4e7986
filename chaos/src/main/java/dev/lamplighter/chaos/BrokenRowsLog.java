package dev.lamplighter.chaos;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What the node logs while the broken-rows program runs (INFO and above), each line tagged with
 * the tick it was logged in, so that lines per case and check can be counted and stack traces
 * found.
 */
final class BrokenRowsLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    /** One logged line: the tick it fell in, its text, and whether it carried a stack trace. */
    record Line(int tick, String level, String text, boolean stackTrace) {
    }

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final List<Line> lines = new ArrayList<>();
    private volatile int tick = -1;

    BrokenRowsLog() {
        setName("broken-rows");
        start();
        root.addAppender(this);
    }

    /** Lines logged from now on belong to tick {@code n}. */
    void tick(int n) {
        tick = n;
    }

    @Override
    protected synchronized void append(ILoggingEvent e) {
        if (e.getLevel().isGreaterOrEqual(Level.INFO)) {
            lines.add(new Line(tick, e.getLevel().toString(), e.getFormattedMessage(), e.getThrowableProxy() != null));
        }
    }

    synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
    }
}
