package dev.lamplighter;

import java.util.Map;

/**
 * Does the work of one {@code job_type}. Workers claim queued jobs of the types they have handlers
 * for, call {@link #run}, and store the returned map as the job's {@code result}.
 *
 * <p>An exception fails the attempt: the job is retried with exponential backoff until
 * {@code max_attempts}, then marked {@code failed} with the error kept. Handlers must therefore be
 * safe to run again for the same job (idempotent), as with any at-least-once queue.
 *
 * <p>Registered in code, or found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.lamplighter.JobHandler}; public no-argument constructor). One
 * instance runs many jobs at once on the worker pool's threads: it must be thread-safe.
 */
public interface JobHandler {

    /** The {@code job_type} this handler runs. */
    String jobType();

    /**
     * Runs one job.
     *
     * @return the result to store (a JSON object; may be empty, never null)
     * @throws Exception a failed attempt
     */
    Map<String, Object> run(JobContext ctx) throws Exception;

    /** The work of one job, as a lambda. */
    @FunctionalInterface
    interface Work {
        Map<String, Object> run(JobContext ctx) throws Exception;
    }

    /** A handler for {@code jobType} that does {@code work}: {@code JobHandler.of("reindex", ctx -> Map.of())}. */
    static JobHandler of(String jobType, Work work) {
        if (jobType == null || jobType.isBlank()) {
            throw new IllegalArgumentException("jobType = " + jobType + " is not allowed: expected a non-blank job type");
        }
        java.util.Objects.requireNonNull(work, "work");
        return new JobHandler() {
            @Override
            public String jobType() {
                return jobType;
            }

            @Override
            public Map<String, Object> run(JobContext ctx) throws Exception {
                return work.run(ctx);
            }

            @Override
            public String toString() {
                return "JobHandler(" + jobType + ")";
            }
        };
    }
}
