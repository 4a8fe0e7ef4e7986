/**
 * The admin HTTP API of a Lamplighter node: schedules, jobs and nodes as JSON, {@code /health} and
 * Prometheus {@code /metrics}, behind a shared token. Off unless started:
 * {@link dev.lamplighter.admin.LamplighterAdmin#builder(javax.sql.DataSource)} from code, or
 * {@code LAMPLIGHTER_ADMIN_PORT} for the standalone node.
 *
 * <p>Every change made through the API commits in one transaction with its row in
 * {@code lamplighter.admin_audit}; a request that is refused (401, 400, 404, 409) writes nothing.
 * A started {@link dev.lamplighter.admin.LamplighterAdmin} is thread-safe.
 */
package dev.lamplighter.admin;
