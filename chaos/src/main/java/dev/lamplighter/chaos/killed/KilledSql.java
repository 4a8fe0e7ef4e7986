package dev.lamplighter.chaos.killed;

import org.jdbi.v3.core.locator.ClasspathSqlLocator;

/**
 * The killed-workers program's statements, one file each under
 * {@code dev/lamplighter/chaos/killed/KilledSql/}, loaded when the class initialises (a missing file
 * fails at start, not half-way through a run).
 */
final class KilledSql {

    static final String BUSIEST_NODE = load("busiest_node");
    static final String CLAIMED_NODES = load("claimed_nodes");
    static final String CLEAR = load("clear");
    static final String COUNT_STATUS = load("count_status");
    static final String CREATE_EXECUTIONS = load("create_executions");
    static final String CREATE_EXECUTIONS_INDEX = load("create_executions_index");
    static final String CREATE_RESCUE_FUNCTION = load("create_rescue_function");
    static final String CREATE_RESCUE_TRIGGER = load("create_rescue_trigger");
    static final String CREATE_RESCUES = load("create_rescues");
    static final String CREATE_STARTS = load("create_starts");
    static final String DB_NOW = load("db_now");
    static final String DELETE_JOBS = load("delete_jobs");
    static final String DROP_RESCUE_TRIGGER = load("drop_rescue_trigger");
    static final String EXECUTION_FINISH = load("execution_finish");
    static final String EXECUTION_START = load("execution_start");
    static final String IN_FLIGHT = load("in_flight");
    static final String RECORD_FIRST_CLAIM = load("record_first_claim");
    static final String RECORD_START = load("record_start");
    static final String RESCUE_TIMES = load("rescue_times");
    static final String RUN_COUNTS = load("run_counts");
    static final String START_PHASES = load("start_phases");

    private KilledSql() {
    }

    private static String load(String name) {
        return ClasspathSqlLocator.removingComments().locate(KilledSql.class, name);
    }
}
