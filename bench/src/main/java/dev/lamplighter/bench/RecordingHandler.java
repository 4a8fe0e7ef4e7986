package dev.lamplighter.bench;

import dev.lamplighter.JobContext;
import dev.lamplighter.JobHandler;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Job type {@value #JOB_TYPE}: works for the payload's {@code work_ms}, then appends
 * {@code <job_id> <attempt>} to the file named by {@code LAMPLIGHTER_BENCH_RECORD_FILE} and
 * returns. A line in that file means the handler succeeded, whatever the database later says;
 * the trials compare the two. The file, not the database, so that the record survives an outage.
 */
public final class RecordingHandler implements JobHandler {

    public static final String JOB_TYPE = "bench_record";
    public static final String RECORD_FILE = "LAMPLIGHTER_BENCH_RECORD_FILE";

    private final OutputStream out;

    public RecordingHandler() {
        String file = System.getenv(RECORD_FILE);
        if (file == null || file.isBlank()) {
            throw new IllegalStateException(RECORD_FILE + " is not set: expected the path of the file that records successful runs");
        }
        try {
            this.out = new FileOutputStream(Path.of(file).toFile(), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String jobType() {
        return JOB_TYPE;
    }

    @Override
    public Map<String, Object> run(JobContext ctx) throws Exception {
        Object workMs = ctx.payload().get("work_ms");
        if (workMs instanceof Number n && n.longValue() > 0) {
            Thread.sleep(n.longValue());   // simulated work
        }
        byte[] line = (ctx.jobId() + " " + ctx.attempt() + "\n").getBytes(StandardCharsets.US_ASCII);
        synchronized (out) {
            out.write(line);
            out.flush();
        }
        return Map.of();
    }
}
