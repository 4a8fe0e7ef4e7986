package dev.lamplighter.chaos.restart;

import dev.lamplighter.JobContext;
import dev.lamplighter.JobHandler;
import java.util.Map;

/**
 * Job type {@value #JOB_TYPE}: works for the payload's {@code work_ms}, then records its success in
 * a {@link SuccessFile} and returns. It never fails by itself, so every failed attempt in the
 * {@code jobs} table is one the runtime recorded, not the handler.
 */
public final class RecordingHandler implements JobHandler {

    /** The job type. */
    public static final String JOB_TYPE = "chaos_record";

    private final SuccessFile successes;
    private final String node;

    /**
     * @param successes where successes are recorded
     * @param node the node's id, written with each success
     */
    public RecordingHandler(SuccessFile successes, String node) {
        this.successes = successes;
        this.node = node;
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
        successes.record(ctx.jobId(), ctx.attempt(), node);
        return Map.of();
    }
}
