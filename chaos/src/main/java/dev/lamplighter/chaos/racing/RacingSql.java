package dev.lamplighter.chaos.racing;

import org.jdbi.v3.core.locator.ClasspathSqlLocator;

/**
 * The racing-pollers program's statements, one file each under
 * {@code dev/lamplighter/chaos/racing/RacingSql/}, loaded when the class initialises (a missing file
 * fails at start, not half-way through a run).
 */
final class RacingSql {

    static final String DELETE_PREVIOUS = load("delete_previous");
    static final String INSERT_SCHEDULES = load("insert_schedules");
    static final String DUE_COUNT = load("due_count");
    static final String NOTIFY_TICK = load("notify_tick");
    static final String SLOT_COUNTS = load("slot_counts");
    static final String JOB_COUNTS = load("job_counts");
    static final String FIRST_SCHEDULE_SLOTS = load("first_schedule_slots");
    static final String LISTEN_LAUNCHES = load("listen_launches");
    static final String CREATE_INSTANT_WORKER_FUNCTION = load("create_instant_worker_function");
    static final String CREATE_INSTANT_WORKER_TRIGGER = load("create_instant_worker_trigger");
    static final String DROP_INSTANT_WORKER_TRIGGER = load("drop_instant_worker_trigger");
    static final String NODES_UP = load("nodes_up");
    static final String ANALYZE = load("analyze");

    private RacingSql() {
    }

    private static String load(String name) {
        return ClasspathSqlLocator.removingComments().locate(RacingSql.class, name);
    }
}
