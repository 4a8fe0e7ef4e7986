/**
 * Escalation's machinery (not API): {@link dev.lamplighter.worker.internal.escalation.Escalator}
 * listens for a schedule this node disabled (and failed jobs), and hands the work to its own
 * single thread, which reads the row, writes the message and POSTs it
 * ({@link dev.lamplighter.worker.internal.escalation.WebhookSender}). Invariants: a listener call
 * only queues work, never reads the database nor touches the network on the caller's thread; a
 * message is retried only by scheduling, never by sleeping; failed jobs of one type produce at
 * most one message per interval ({@link dev.lamplighter.worker.internal.escalation.FailedJobFolder}).
 * Thread-safe.
 */
package dev.lamplighter.worker.internal.escalation;
