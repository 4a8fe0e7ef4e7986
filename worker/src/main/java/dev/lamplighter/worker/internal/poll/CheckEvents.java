package dev.lamplighter.worker.internal.poll;

import dev.lamplighter.worker.events.CheckEvent;
import dev.lamplighter.worker.internal.Listeners;

/**
 * Turns a committed check ({@link ScheduleChecker.Attempt} and its {@link CheckOutcome}) into the
 * listeners' {@link CheckEvent} (and {@code scheduleDisabled}), with its reason class. Called after
 * the check's transaction (or its chunk's) committed, on the poll loop's thread; builds nothing
 * when no listener is registered. Thread-safe.
 */
final class CheckEvents {

    private final Listeners listeners;

    CheckEvents(Listeners listeners) {
        this.listeners = listeners;
    }

    /**
     * Tells the listeners what a committed check decided (nothing for a slot another node took),
     * and {@code lag} how late its slot was checked.
     */
    void committed(ScheduleChecker.Attempt attempt, CheckOutcome outcome, TickLag lag) {
        if (outcome == CheckOutcome.TAKEN || attempt.row == null) {
            return;
        }
        if (lag != null) {
            lag.checked(attempt.row.now(), attempt.row.slot());
        }
        if (!listeners.active()) {
            return;
        }
        DueSchedule row = attempt.row;
        CheckEvent.Reason reason = attempt.reason;
        CheckEvent.Outcome shown;
        if (outcome == CheckOutcome.FAILED) {
            shown = CheckEvent.Outcome.FAILED;
            if (reason != CheckEvent.Reason.BROKEN_ROW) {
                reason = CheckEvent.Reason.LAUNCHER_ERROR;
            }
        } else if (outcome == CheckOutcome.LAUNCHED) {
            shown = CheckEvent.Outcome.LAUNCHED;
            reason = CheckEvent.Reason.CONDITION_MET;
        } else if (reason == CheckEvent.Reason.MISSED_SLOT) {
            shown = CheckEvent.Outcome.MISSED;
        } else {
            shown = CheckEvent.Outcome.SKIPPED;
            // A launch that a chunk found already launched is recorded as a skip after its check.
            if (reason == null || reason == CheckEvent.Reason.CONDITION_MET) {
                reason = CheckEvent.Reason.ALREADY_LAUNCHED;
            }
        }
        listeners.checked(new CheckEvent(row.name(), shown, reason,
                java.time.Duration.ofNanos(System.nanoTime() - attempt.startedNanos), row.triggerSource()));
        if (attempt.disabled) {
            listeners.scheduleDisabled(row.name(), attempt.error);
        }
    }

}
