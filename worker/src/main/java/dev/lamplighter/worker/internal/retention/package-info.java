/**
 * The retention cleaner: deletes finished jobs and decision-log rows past their retention windows.
 *
 * <p>Invariants: only jobs in a finished status ({@code completed}, {@code failed},
 * {@code cancelled}, {@code rejected}) whose {@code completed_at} is older than their window are
 * deleted, never {@code awaiting_approval}, {@code queued} or {@code running} ones; each batch is
 * its own short transaction that first takes the cleaner's transaction-scoped advisory lock
 * ({@link dev.lamplighter.worker.internal.retention.RetentionSettings#DEFAULT_LOCK_KEY}), so one
 * node deletes at a time and no session state is needed; a run does a bounded number of batches.
 * "Now" is the database's clock unless a test clock is set. Not API.
 */
package dev.lamplighter.worker.internal.retention;
