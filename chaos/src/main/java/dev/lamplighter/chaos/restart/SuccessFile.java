package dev.lamplighter.chaos.restart;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The channel through which a handler records that it succeeded, apart from the database: one line
 * {@code <job_id> <attempt> <node>} per successful run, appended and flushed before the handler
 * returns. A line here means the handler succeeded, whatever the {@code jobs} table later says; the
 * programs compare the two. A file, so that the record survives a database outage and is shared by
 * worker processes (each appends whole lines). Thread-safe.
 */
public final class SuccessFile implements AutoCloseable {

    /** One successful run. */
    public record Success(long jobId, int attempt, String node) {
    }

    private final Path path;
    private final OutputStream out;

    /**
     * Opens {@code path} for appending, creating it if needed.
     *
     * @param path the file
     */
    public SuccessFile(Path path) {
        this.path = path;
        try {
            this.out = new FileOutputStream(path.toFile(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open " + path + " to record successful runs", e);
        }
    }

    /** {@return the file} */
    public Path path() {
        return path;
    }

    /** Records one successful run. */
    public void record(long jobId, int attempt, String node) {
        byte[] line = (jobId + " " + attempt + " " + node + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            try {
                out.write(line);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot record the success of job " + jobId + " in " + path, e);
            }
        }
    }

    /** {@return every successful run recorded in {@code path} so far, in order} */
    public static List<Success> read(Path path) {
        List<Success> all = new ArrayList<>();
        try {
            String text = Files.readString(path, StandardCharsets.UTF_8);
            // Whole lines only: one being written has no newline yet.
            for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
                if (!line.isEmpty()) {
                    String[] f = line.split(" ");
                    all.add(new Success(Long.parseLong(f[0]), Integer.parseInt(f[1]), f[2]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
        return all;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
