package dev.lamplighter.admin;

import dev.lamplighter.LamplighterException;

/**
 * A setting of the admin server is missing or not allowed. The message is one line that names the
 * setting (its environment variable), the value (never a token's) and what is allowed.
 */
public class AdminSettingsException extends LamplighterException {

    private static final long serialVersionUID = 1L;

    /**
     * A bad setting.
     *
     * @param message the setting, the value and what is allowed
     */
    public AdminSettingsException(String message) {
        super(message);
    }

    /**
     * A bad setting found by parsing.
     *
     * @param message the setting, the value and what is allowed
     * @param cause the parse failure
     */
    public AdminSettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
