package dev.lamplighter.chaos.restart;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The levels of the {@code lamplighter} command's {@code logback.xml} (in the CLI's jar): each
 * {@code <logger name="..." level="..."/>}, and the root's under {@code ROOT}. A level written as
 * {@code ${VARIABLE:-DEFAULT}} takes its default, as the command does when the variable is unset.
 */
final class CommandLevels {

    private static final Pattern LOGGER = Pattern.compile("<logger\\s+name=\"([^\"]+)\"\\s+level=\"([^\"]+)\"");
    private static final Pattern ROOT = Pattern.compile("<root\\s+level=\"([^\"]+)\"");
    private static final Pattern DEFAULTED = Pattern.compile("\\$\\{[^:}]+:-([^}]+)}");

    private CommandLevels() {
    }

    static Map<String, Level> read() {
        try (InputStream in = dev.lamplighter.cli.Main.class.getResourceAsStream("/logback.xml")) {
            if (in == null) {
                throw new IllegalStateException("logback.xml of the lamplighter command is not on the classpath");
            }
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?s)<!--.*?-->", "");
            Map<String, Level> levels = new HashMap<>();
            Matcher m = LOGGER.matcher(xml);
            while (m.find()) {
                levels.put(m.group(1), level(m.group(2)));
            }
            Matcher root = ROOT.matcher(xml);
            if (root.find()) {
                levels.put(org.slf4j.Logger.ROOT_LOGGER_NAME, level(root.group(1)));
            }
            return Map.copyOf(levels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Level level(String text) {
        Matcher d = DEFAULTED.matcher(text);
        return Level.toLevel(d.matches() ? d.group(1) : text, Level.DEBUG);
    }
}
