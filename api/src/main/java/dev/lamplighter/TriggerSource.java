package dev.lamplighter;

/** What made a schedule's check happen; recorded in {@code decision_log.trigger_source}. */
public enum TriggerSource {
    /** The schedule's own timetable (cron or interval). */
    CRON,
    /** Application code, after an event (for example, after an ingestion). */
    EVENT,
    /** An operator, from the CLI or the admin endpoint. */
    MANUAL;

    /** The value stored in the database. */
    public String dbValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
