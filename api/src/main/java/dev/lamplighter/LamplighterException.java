package dev.lamplighter;

/**
 * The root of Lamplighter's unchecked exceptions. Each subclass names one kind of failure; the
 * message carries the context (which schedule, which job, which field and value).
 */
public class LamplighterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, with its context
     */
    public LamplighterException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what failed, with its context
     * @param cause   the underlying failure
     */
    public LamplighterException(String message, Throwable cause) {
        super(message, cause);
    }
}
