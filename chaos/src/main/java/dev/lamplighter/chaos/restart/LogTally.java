package dev.lamplighter.chaos.restart;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * Keeps the log lines this JVM writes that the {@code lamplighter} command would show, so that a
 * program can count the lines written during an outage, per node and per loop, as an operator
 * would see them. Which lines: the levels of the command's own {@code logback.xml} (its
 * {@code <logger>} and {@code <root>} levels, read from the classpath), whatever configuration this
 * JVM logs with (a test's is more talkative). Attach with {@link #attach()}; thread-safe.
 */
public final class LogTally extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    /**
     * One line as written.
     *
     * @param level its level
     * @param text its message, with the exception's class and message if it has one
     * @param stackTrace whether a stack trace was written with it
     */
    public record Line(String level, String text, boolean stackTrace) {
        /**
         * {@return whether the line is about a fault: a WARN or ERROR, or an INFO that names a
         * database error or the database coming back (not a tick or a launch a healthy node logs too)}
         */
        public boolean aboutAFault() {
            return level.equals("WARN") || level.equals("ERROR") || text.contains("SQLException")
                    || text.contains("reached the database again");
        }

        @Override
        public String toString() {
            return String.format("%-5s %s%s", level, text, stackTrace ? " (with a stack trace)" : "");
        }
    }

    /** A loop's line when it loses the database ({@code dev.lamplighter.worker.internal.LoopErrors}). */
    private static final Pattern LOST = Pattern.compile("^(.+?) (?:still )?cannot reach the database");
    /** A loop's line when it is back. */
    private static final Pattern BACK = Pattern.compile("^(.+?) reached the database again");
    private static final Pattern NODE = Pattern.compile("\\bnode (\\S+?)[:;,)]?(?:\\s|$)");

    private final List<Line> lines = new ArrayList<>();
    private final Map<String, ch.qos.logback.classic.Level> levels = CommandLevels.read();
    private Logger root;
    private Logger lamplighter;
    private ch.qos.logback.classic.Level lamplighterBefore;

    /** {@return a tally attached to the root logger} */
    public static LogTally attach() {
        LogTally tally = new LogTally();
        tally.setContext((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
        tally.setName("chaos-log-tally");
        tally.start();
        tally.root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        tally.root.addAppender(tally);
        // The lines are counted as the command would write them: Lamplighter's loggers at the
        // command's level here too, whatever an earlier run in this JVM set (put back on close).
        tally.lamplighter = (Logger) LoggerFactory.getLogger("dev.lamplighter");
        tally.lamplighterBefore = tally.lamplighter.getLevel();
        tally.lamplighter.setLevel(tally.levelOf("dev.lamplighter"));
        return tally;
    }

    @Override
    protected void append(ILoggingEvent e) {
        if (!e.getLevel().isGreaterOrEqual(levelOf(e.getLoggerName()))) {
            return;
        }
        String text = e.getFormattedMessage();
        if (e.getThrowableProxy() != null) {
            text += " [" + e.getThrowableProxy().getClassName() + ": " + e.getThrowableProxy().getMessage() + "]";
        }
        synchronized (lines) {
            lines.add(new Line(e.getLevel().toString(), text, e.getThrowableProxy() != null));
        }
    }

    /** The level the command's configuration sets for {@code logger}: its own, its nearest parent's, or the root's. */
    private ch.qos.logback.classic.Level levelOf(String logger) {
        for (String name = logger; ; name = name.substring(0, name.lastIndexOf('.'))) {
            ch.qos.logback.classic.Level level = levels.get(name);
            if (level != null) {
                return level;
            }
            if (name.lastIndexOf('.') < 0) {
                return levels.getOrDefault(org.slf4j.Logger.ROOT_LOGGER_NAME, ch.qos.logback.classic.Level.DEBUG);
            }
        }
    }

    /** {@return how many lines were written so far: a mark for {@link #since}} */
    public int mark() {
        synchronized (lines) {
            return lines.size();
        }
    }

    /** {@return the lines written from {@code mark} on} */
    public List<Line> since(int mark) {
        synchronized (lines) {
            return List.copyOf(lines.subList(mark, lines.size()));
        }
    }

    /** {@return the lines of {@code lines} that name {@code node} ("node n1"), by node; "(no node)" for the rest} */
    public static Map<String, Integer> perNode(List<Line> lines) {
        Map<String, Integer> out = new TreeMap<>();
        for (Line l : lines) {
            Matcher m = NODE.matcher(l.text());
            out.merge(m.find() ? m.group(1) : "(no node)", 1, Integer::sum);
        }
        return out;
    }

    /** {@return per loop (as the loop names itself), how many lines said it lost the database} */
    public static Map<String, Integer> lostLines(List<Line> lines) {
        return countLoops(lines, LOST);
    }

    /** {@return per loop, how many lines said it reached the database again} */
    public static Map<String, Integer> backLines(List<Line> lines) {
        return countLoops(lines, BACK);
    }

    private static Map<String, Integer> countLoops(List<Line> lines, Pattern p) {
        Map<String, Integer> out = new TreeMap<>();
        for (Line l : lines) {
            Matcher m = p.matcher(l.text());
            if (m.find()) {
                out.merge(m.group(1), 1, Integer::sum);
            }
        }
        return out;
    }

    /** Detaches from the root logger. */
    @Override
    public void close() {
        if (root != null) {
            root.detachAppender(this);
        }
        if (lamplighter != null) {
            lamplighter.setLevel(lamplighterBefore);
        }
        stop();
    }
}
