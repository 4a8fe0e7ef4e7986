package dev.lamplighter;

/**
 * The root of Lamplighter's unchecked exceptions. Each subclass names one kind of failure; the
 * message carries the context (which schedule, which job, which field and value).
 */
public class LamplighterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LamplighterException(String message) {
        super(message);
    }

    public LamplighterException(String message, Throwable cause) {
        super(message, cause);
    }
}
