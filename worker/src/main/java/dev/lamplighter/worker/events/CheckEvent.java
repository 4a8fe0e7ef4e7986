package dev.lamplighter.worker.events;

import dev.lamplighter.TriggerSource;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One committed check of a due schedule.
 *
 * @param schedule the schedule's name
 * @param outcome launched, skipped, failed, or missed (the slot was later than its misfire grace;
 *     the decision log records it as skipped)
 * @param reason why, as a class from a small fixed set (never the launcher's free text)
 * @param took how long the check took
 * @param source what made the schedule due: its timetable, a trigger, an event
 */
public record CheckEvent(String schedule, Outcome outcome, Reason reason, Duration took, TriggerSource source) {

    /**
     * Checks all fields are present.
     *
     * @throws NullPointerException naming a missing field
     */
    public CheckEvent {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(took, "took");
        Objects.requireNonNull(source, "source");
    }

    /** What the check did. */
    public enum Outcome {
        /** A job was enqueued. */
        LAUNCHED,
        /** No job: the reason says why. */
        SKIPPED,
        /** The launcher threw, or the row could not be read: {@code retry_count + 1}. */
        FAILED,
        /** The slot was later than the schedule's misfire grace: the launcher was not asked. */
        MISSED;

        /**
         * The name in lower case, as metrics tag it.
         *
         * @return {@code launched}, {@code skipped}, {@code failed} or {@code missed}
         */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why, in a fixed set of classes. */
    public enum Reason {
        /** The launcher said launch (outcome launched). */
        CONDITION_MET,
        /** The launcher said skip. */
        CONDITION_NOT_MET,
        /** The schedule's previous job is still queued, awaiting approval or running: the launcher was not asked. */
        ONE_INSTANCE_ACTIVE,
        /** The launcher said launch, but the slot's job already existed (its dedup key was taken). */
        ALREADY_LAUNCHED,
        /** The slot was later than the misfire grace (outcome missed). */
        MISSED_SLOT,
        /** The launcher (or its enqueue) threw (outcome failed). */
        LAUNCHER_ERROR,
        /** The row cannot be used as written: cron, zone, params, condition role (outcome failed). */
        BROKEN_ROW;

        /**
         * The name in lower case, as metrics tag it.
         *
         * @return for example {@code condition_not_met}
         */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
