/**
 * The operator's checks that the CLI ({@code explain}, {@code doctor}, {@code drift}) and the admin
 * API ({@code GET /api/schedules/{name}/explain}, {@code /api/doctor}, {@code /api/drift}) share:
 * one class per check, over a Jdbi {@link org.jdbi.v3.core.Handle}, with the statements of
 * {@code sql/cli/} and {@code sql/admin/}, so that the CLI's {@code --json} and the API's JSON come
 * from the same code and the same SQL.
 *
 * <p>Not API: public only because the CLI module calls it; it may change in any release. It lives
 * in the admin module because the CLI depends on the admin module (not the other way round), and
 * not in the worker because a node never runs it: it is the operator's side, reading what the nodes
 * wrote. The classes keep no state between calls and are safe to share between threads; a
 * {@code Handle} is not, so each call takes the caller's own.
 */
package dev.lamplighter.admin.internal.ops;
