package dev.lamplighter;

/**
 * What made a schedule's check happen; recorded in {@code decision_log.trigger_source}. When a
 * schedule is triggered several times before its check, the last trigger's source is recorded.
 */
public enum TriggerSource {
    /** The schedule's own timetable (cron or interval). */
    CRON,
    /** Application code, after an event (for example, after an ingestion). */
    EVENT,
    /**
     * An operator: the CLI or the admin endpoint ({@code LamplighterClient.trigger(name, MANUAL)}),
     * or SQL that moves {@code next_run}.
     */
    MANUAL;

    /**
     * The value stored in the database.
     *
     * @return the constant's name in lower case: {@code cron}, {@code event} or {@code manual}
     */
    public String dbValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
