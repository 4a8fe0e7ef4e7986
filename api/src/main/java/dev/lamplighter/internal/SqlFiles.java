package dev.lamplighter.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * Reads the SQL statements packaged from the repository's {@code sql/} folder (classpath
 * {@code lamplighter/sql/}). Not API.
 *
 * <p>Holders load every statement they use into {@code static final} fields, so a missing or
 * misnamed file fails when the holder class initialises at start-up, not on first use.
 */
public final class SqlFiles {

    /** Where {@code sql/} lands on the classpath. */
    public static final String ROOT = "lamplighter/sql/";

    private SqlFiles() {
    }

    /**
     * The statement in {@code sql/<path>.sql}, with whole-line {@code --} comments removed.
     *
     * @throws IllegalStateException if the file is not on the classpath
     */
    public static String load(String path) {
        String resource = ROOT + path + ".sql";
        try (InputStream in = SqlFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("SQL statement '" + path + "' not found: expected classpath resource "
                        + resource + " (from sql/" + path + ".sql in the repository)");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return stripComments(text);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read SQL statement " + resource, e);
        }
    }

    static String stripComments(String text) {
        return text.lines()
                .filter(line -> !line.stripLeading().startsWith("--"))
                .collect(Collectors.joining("\n"))
                .strip();
    }
}
