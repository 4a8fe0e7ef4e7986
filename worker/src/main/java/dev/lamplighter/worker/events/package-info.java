/**
 * A node's events, for metrics: {@link dev.lamplighter.worker.events.LamplighterListener} and the
 * records it receives. This package imports nothing of the worker's runtime, so that both the
 * runtime and its users depend on it, never the other way round. The records are immutable; a
 * listener is called from several threads at once.
 */
package dev.lamplighter.worker.events;
