package dev.lamplighter.chaos.restart;

import dev.lamplighter.JobContext;
import dev.lamplighter.JobHandler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Job type {@value #JOB_TYPE}: a job whose payload names a gate ({@code "gate": n}) is held there
 * while it runs; the rest return at once. Each run that returns is recorded in a {@link SuccessFile}.
 */
final class HeldHandler implements JobHandler {

    static final String JOB_TYPE = "chaos_held";

    private final Map<Integer, Gate> gates = new ConcurrentHashMap<>();
    private final SuccessFile successes;
    private final String node;

    HeldHandler(SuccessFile successes, String node) {
        this.successes = successes;
        this.node = node;
    }

    /** A job with {@code "gate": n} in its payload is held at the returned gate. */
    Gate arm(int n) {
        Gate g = new Gate();
        gates.put(n, g);
        return g;
    }

    @Override
    public String jobType() {
        return JOB_TYPE;
    }

    @Override
    public Map<String, Object> run(JobContext ctx) throws Exception {
        if (ctx.payload().get("gate") instanceof Number n) {
            Gate g = gates.get(n.intValue());
            if (g != null) {
                g.hold(0);
            }
        }
        successes.record(ctx.jobId(), ctx.attempt(), node);
        return Map.of();
    }
}
