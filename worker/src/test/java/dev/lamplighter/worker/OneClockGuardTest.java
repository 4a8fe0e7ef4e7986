package dev.lamplighter.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One clock: no production code of lamplighter-api or lamplighter-worker reads the JVM's wall
 * clock. Every lease, heartbeat, due check, backoff and retention cut-off is computed in SQL from
 * {@code coalesce(CAST(:now AS timestamptz), now())}, with null bound in production; the only
 * JVM time allowed is {@code System.nanoTime}, which measures durations inside one process and is
 * never written. A new {@code Instant.now()} (or its relatives) fails this test, unless it is added
 * to {@link #ALLOWED} with the reason it only measures a duration.
 */
class OneClockGuardTest {

    private static final List<Path> SOURCES = List.of(
            Path.of("src", "main", "java").toAbsolutePath(),
            Path.of("..", "api", "src", "main", "java").toAbsolutePath().normalize());

    /** Reads of the wall clock (or of the JVM's default clock) that could end up in a stored time. */
    private static final Pattern WALL_CLOCK = Pattern.compile(
            "\\b(?:Instant|LocalDateTime|LocalDate|LocalTime|OffsetDateTime|ZonedDateTime|Year|YearMonth)\\s*\\.\\s*now\\s*\\("
                    + "|\\bSystem\\s*\\.\\s*currentTimeMillis\\s*\\("
                    + "|\\bClock\\s*\\.\\s*(?:systemUTC|systemDefaultZone|system)\\s*\\("
                    + "|\\bnew\\s+(?:java\\.util\\.)?Date\\s*\\(\\s*\\)"
                    + "|\\bCalendar\\s*\\.\\s*getInstance\\s*\\(");

    /**
     * Files (relative to their source root) allowed to read the wall clock, each with why it does
     * not reach the database.
     */
    private static final Map<String, String> ALLOWED = Map.of(
            "dev/lamplighter/worker/internal/poll/TickStamp.java",
            "when this node's last tick ended, shown by Lamplighter.lastTick() and /health, never written");

    private static final Pattern COMMENTS = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*");

    @Test
    void the_scan_sees_the_production_sources() {
        assertThat(SOURCES).allMatch(Files::isDirectory);
        assertThat(javaFiles()).hasSizeGreaterThan(100);
        assertThat(WALL_CLOCK.matcher("Instant x = Instant.now();").find()).isTrue();
        assertThat(WALL_CLOCK.matcher("long t = System.currentTimeMillis();").find()).isTrue();
        assertThat(WALL_CLOCK.matcher("Clock c = Clock.systemUTC();").find()).isTrue();
        assertThat(WALL_CLOCK.matcher("long t = System.nanoTime();").find()).isFalse();
    }

    @Test
    void no_production_code_reads_the_wall_clock_outside_the_allow_list() {
        List<String> found = new ArrayList<>();
        for (Path file : javaFiles()) {
            String relative = relative(file);
            if (ALLOWED.containsKey(relative)) {
                continue;
            }
            String code = COMMENTS.matcher(read(file)).replaceAll(" ");
            Matcher m = WALL_CLOCK.matcher(code);
            while (m.find()) {
                found.add(relative + ": " + m.group());
            }
        }
        assertThat(found).as("production code that reads the JVM's wall clock; in SQL use "
                + "coalesce(CAST(:now AS timestamptz), now()) with the injected clock (null in production), "
                + "for a duration System.nanoTime()").isEmpty();
    }

    private static List<Path> javaFiles() {
        List<Path> files = new ArrayList<>();
        for (Path root : SOURCES) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    private static String relative(Path file) {
        for (Path root : SOURCES) {
            if (file.startsWith(root)) {
                return root.relativize(file).toString().replace('\\', '/');
            }
        }
        return file.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
