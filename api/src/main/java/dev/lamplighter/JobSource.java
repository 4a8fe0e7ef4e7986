package dev.lamplighter;

import java.util.Locale;

/** Where a job came from; stored in {@code jobs.job_source}. */
public enum JobSource {
    /** Launched by a schedule's launcher. */
    SCHEDULED_TASK,
    /** Enqueued by application code through the client. */
    API,
    /** Enqueued by an operator. */
    MANUAL;

    /** {@return the value stored in {@code jobs.job_source}, e.g. {@code scheduled_task}} */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
