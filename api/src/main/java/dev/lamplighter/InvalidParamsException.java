package dev.lamplighter;

/**
 * A schedule's {@code params} are not what its launcher needs. The message names the field, the
 * value and what is allowed; it is stored in the schedule's {@code last_error}.
 */
public class InvalidParamsException extends LamplighterException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which field, which value, and what is allowed
     */
    public InvalidParamsException(String message) {
        super(message);
    }
}
