package dev.lamplighter.chaos;

/**
 * One broken value of the broken-rows program: the column it breaks, the SQL that writes it (a
 * {@code SET} list applied to a good row, as an operator's or a script's UPDATE would), the
 * value as the report shows it, and the outcome Lamplighter must give it.
 *
 * @param id short, unique: also part of the row's name
 * @param table {@code scheduled_jobs} or {@code jobs}
 * @param column the column broken (the one a message must name)
 * @param set the SET list, e.g. {@code time_zone = 'EST'}
 * @param shown the value as the report shows it
 * @param expected the outcome Lamplighter must give
 * @param mentions what a reported message must contain besides the column (usually the value)
 */
public record BrokenRowsCase(String id, String table, String column, String set, String shown,
                             Expected expected, String mentions) {

    /** What Lamplighter must do with a broken value. */
    public enum Expected {
        /** The database refuses the write (a constraint or the column's type). */
        REJECTED("rejected by the database"),
        /** The row is checked, its check fails, last_error names the column and value; it backs off and is disabled. */
        REPORTED("reported, backed off, disabled"),
        /** Reported in last_error once; the row stays due for a node that can check it (by design). */
        WAITING("reported once, waits for a node that can take it"),
        /** Not broken for Lamplighter: checked or run as stored, nothing to report. */
        ACCEPTED("accepted, works as stored");

        /** As the report says it. */
        public final String text;

        Expected(String text) {
            this.text = text;
        }
    }
}
