package dev.lamplighter.admin.internal.ops;

import dev.lamplighter.LamplighterException;

/**
 * A check asked about a schedule that has no row. The caller says so in its own words (the CLI's
 * "expected one of ...", the API's 404), listing what exists. Not API.
 */
public final class ScheduleNotFoundException extends LamplighterException {

    private static final long serialVersionUID = 1L;
    private final String name;

    /** @param name the schedule asked for */
    public ScheduleNotFoundException(String name) {
        super("no schedule named '" + name + "'");
        this.name = name;
    }

    /** The schedule asked for. */
    public String name() {
        return name;
    }
}
