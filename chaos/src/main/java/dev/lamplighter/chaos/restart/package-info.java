/**
 * The database-restart and connection-loss programs ({@link dev.lamplighter.chaos.restart.DatabaseRestart},
 * {@link dev.lamplighter.chaos.restart.ConnectionLoss}) and what they share: an embedded PostgreSQL
 * that can be stopped and started on the same directory and port, nodes on pools of their own, a
 * handler that records its successes apart from the database, latches that hold a check or a job
 * at an exact moment, and a tally of the log lines the {@code lamplighter} command would write.
 *
 * <p>Each program counts from the database and from its own records, never from the node's word
 * alone: a job is lost if the {@code jobs} table never ends it, a success is recorded failed if the
 * handler's own record says it succeeded and the table says otherwise.
 */
package dev.lamplighter.chaos.restart;
