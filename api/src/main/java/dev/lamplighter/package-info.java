/**
 * What application code compiles against: {@link dev.lamplighter.Launcher} (a cheap check that
 * answers {@link dev.lamplighter.Decision#launch} or {@link dev.lamplighter.Decision#skip}),
 * {@link dev.lamplighter.JobHandler} (the work), {@link dev.lamplighter.Schedule} (a schedule
 * declared in code) and {@link dev.lamplighter.Params}.
 *
 * <p>Invariants: a launcher runs inside the transaction that records its decision, enqueues the job
 * and advances {@code next_run}; one launcher instance serves many schedules, one check at a time per
 * schedule, so per-schedule state belongs in the database. A handler instance runs many jobs at once
 * and must be thread-safe; jobs are delivered at least once, so handlers must be idempotent.
 * This package depends on nothing of the runtime.
 */
package dev.lamplighter;
