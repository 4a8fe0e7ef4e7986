package dev.lamplighter.chaos.killed;

import dev.lamplighter.JobContext;
import dev.lamplighter.JobHandler;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The killed-workers handler, job type {@value #JOB_TYPE}: records its run in
 * {@code public.chaos_executions} on a connection of its own (one per worker thread, autocommit,
 * outside Lamplighter's transactions), works for the payload's {@code work_ms}, and records that it
 * finished.
 */
final class ExecutionRecorder implements JobHandler {

    static final String JOB_TYPE = "chaos_killed";

    private final String node;
    private final ThreadLocal<Handle> handles;

    ExecutionRecorder(Jdbi unpooled, String node) {
        this.node = node;
        this.handles = ThreadLocal.withInitial(unpooled::open);
    }

    @Override
    public String jobType() {
        return JOB_TYPE;
    }

    @Override
    public Map<String, Object> run(JobContext ctx) throws Exception {
        Handle h = handles.get();
        long id = h.createQuery(KilledSql.EXECUTION_START).bind("jobId", ctx.jobId()).bind("attempt", ctx.attempt())
                .bind("node", node).mapTo(Long.class).one();
        if (ctx.payload().get("work_ms") instanceof Number ms && ms.longValue() > 0) {
            Thread.sleep(ms.longValue());   // the job's work
        }
        h.createUpdate(KilledSql.EXECUTION_FINISH).bind("id", id).execute();
        return Map.of();
    }
}
