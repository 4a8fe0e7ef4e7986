package dev.lamplighter.chaos;

import java.util.List;

/**
 * What Lamplighter did with one broken value, and what was wrong with it.
 *
 * @param kase the case
 * @param outcome what happened (null when nothing that fits was seen)
 * @param message the SQL error, last_error, or a note
 * @param problems why the outcome is wrong; empty when it is right
 */
public record BrokenRowsResult(BrokenRowsCase kase, BrokenRowsCase.Expected outcome, String message,
                               List<String> problems) {

    /** Whether the outcome is the expected one and nothing else went wrong. */
    public boolean ok() {
        return problems.isEmpty();
    }
}
