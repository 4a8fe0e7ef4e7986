package dev.lamplighter.chaos.racing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a main class of the chaos module in a JVM of its own, with the program's classpath, its
 * output in a log file. Under Maven's test runner the classpath is a manifest-only jar, so the
 * module's {@code target/classes} and {@code target/classpath.txt} (written by the build) are used
 * instead. Used by the racing-pollers and the killed-workers programs.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * Starts {@code mainClass} with {@code env} added to this process's environment.
     *
     * @param mainClass the class with the {@code main}
     * @param env variables to set
     * @param log where stdout and stderr go (appended)
     * @return the process
     * @throws IOException when it cannot start
     */
    public static Process start(Class<?> mainClass, Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(classpath());
        command.add(mainClass.getName());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        return pb.start();
    }

    /**
     * The classpath a child JVM gets.
     *
     * @return this JVM's classpath, or the module's build output under the test runner
     */
    public static String classpath() {
        String own = System.getProperty("java.class.path");
        if (!own.contains("surefire")) {
            return own;
        }
        Path classes = Path.of("target", "classes").toAbsolutePath();
        Path listed = Path.of("target", "classpath.txt");
        try {
            return classes + File.pathSeparator + Files.readString(listed).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + listed.toAbsolutePath()
                    + ": build the chaos module first (./mvnw -B -q -DskipTests package -pl chaos -am)", e);
        }
    }
}
