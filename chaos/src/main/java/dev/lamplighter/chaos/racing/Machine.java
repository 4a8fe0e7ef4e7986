package dev.lamplighter.chaos.racing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the machine was doing during a run, for the report: CPUs and the load average. Used by the
 * racing-pollers and the killed-workers programs.
 */
public final class Machine {

    private Machine() {
    }

    /**
     * The 1-minute load average, or -1 where {@code /proc/loadavg} is not readable.
     *
     * @return the load average
     */
    public static double load() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Raises Lamplighter's log level to WARN in this JVM (one INFO line per launch or claim would
     * bury the figures); a no-op when the logging backend is not Logback.
     *
     * @return what puts the level back as it was (a test that shares its JVM with others calls it)
     */
    public static Runnable quietLogs() {
        if (org.slf4j.LoggerFactory.getLogger("dev.lamplighter") instanceof ch.qos.logback.classic.Logger logger) {
            ch.qos.logback.classic.Level before = logger.getLevel();
            logger.setLevel(ch.qos.logback.classic.Level.WARN);
            return () -> logger.setLevel(before);
        }
        return () -> { };
    }

    /**
     * One line on the machine: CPUs, Java, and the load before and after the run.
     *
     * @param loadBefore the load average when the run started
     * @return the line
     */
    public static String describe(double loadBefore) {
        return String.format(Locale.ROOT, "%d CPUs, Java %s, %s; 1-minute load average %.2f at the start, %.2f at the end",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("os.name"), loadBefore, load());
    }
}
