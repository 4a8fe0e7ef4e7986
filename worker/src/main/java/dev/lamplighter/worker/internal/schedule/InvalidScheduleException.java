package dev.lamplighter.worker.internal.schedule;

import dev.lamplighter.LamplighterException;

/**
 * A schedule row holds a value Lamplighter cannot use (a bad cron expression, an unknown time
 * zone). The message names the column, the value and what is allowed.
 */
public final class InvalidScheduleException extends LamplighterException {

    private static final long serialVersionUID = 1L;

    public InvalidScheduleException(String message) {
        super(message);
    }

    public InvalidScheduleException(String message, Throwable cause) {
        super(message, cause);
    }
}
