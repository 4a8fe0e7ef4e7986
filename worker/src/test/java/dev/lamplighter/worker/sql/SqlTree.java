package dev.lamplighter.worker.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The repository's sql/ folder, read from the working tree so that a new file is picked up. */
final class SqlTree {

    static final Path ROOT = Path.of("..", "sql").toAbsolutePath().normalize();

    private SqlTree() {
    }

    static List<Path> files(boolean cookbook) {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            return walk.filter(p -> p.toString().endsWith(".sql"))
                    .filter(p -> ROOT.relativize(p).startsWith("cookbook") == cookbook)
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String withoutComments(String sql) {
        return sql.lines().filter(l -> !l.stripLeading().startsWith("--")).collect(Collectors.joining("\n")).strip();
    }
}
