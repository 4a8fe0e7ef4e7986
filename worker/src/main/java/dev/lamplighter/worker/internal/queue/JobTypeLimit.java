package dev.lamplighter.worker.internal.queue;

/**
 * A concurrency limit declared in code for one job type (a row of {@code lamplighter.job_types}).
 *
 * @param jobType the job type; not blank
 * @param maxRunning at most this many of its jobs running across the cluster; null: no limit
 * @param exclusive at most one running anywhere (overrides {@code maxRunning})
 */
public record JobTypeLimit(String jobType, Integer maxRunning, boolean exclusive) {

    public JobTypeLimit {
        if (jobType == null || jobType.isBlank()) {
            throw new IllegalArgumentException("jobType = " + (jobType == null ? null : "\"" + jobType + "\"")
                    + " is not allowed: expected a non-blank job type");
        }
        if (maxRunning != null && maxRunning < 1) {
            throw new IllegalArgumentException("maxRunning = " + maxRunning + " (job type \"" + jobType
                    + "\") is not allowed: expected 1 or more");
        }
    }
}
