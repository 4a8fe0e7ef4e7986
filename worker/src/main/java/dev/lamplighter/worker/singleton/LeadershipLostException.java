package dev.lamplighter.worker.singleton;

import dev.lamplighter.LamplighterException;

/**
 * Thrown by {@link SingletonContext#verifyLeadership()} when this node no longer holds a
 * singleton: another node took it over (the message names it and its token), the lease ran out by
 * the database's clock, the node released it, or the check could not reach the database.
 */
public class LeadershipLostException extends LamplighterException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which singleton, which node and token, and why the leadership is gone
     */
    public LeadershipLostException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message which singleton, which node and token, and why the leadership cannot be confirmed
     * @param cause   the underlying failure
     */
    public LeadershipLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
