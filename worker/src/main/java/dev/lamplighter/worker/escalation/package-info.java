/**
 * Escalation: what a node sends to a human when something needs one. A schedule that disabled
 * itself after {@code max_retries} launcher failures is sent by the node whose tick disabled it
 * (once per disable, cluster-wide); with {@link dev.lamplighter.worker.escalation.EscalationConfig#failedJobs()}
 * a job that failed for good is sent by the node that wrote its last attempt, at most one message
 * per job type per interval on that node. Delivery (an HTTP POST with the JDK's client, retried with
 * backoff) runs on a thread of its own: a slow or dead receiver never holds the poll loop, its
 * advisory lock, or a worker. Settings: {@link dev.lamplighter.worker.escalation.EscalationConfig}.
 */
package dev.lamplighter.worker.escalation;
