/**
 * {@link dev.lamplighter.client.LamplighterClient}: enqueue jobs, trigger schedules, bump counters
 * and advance epochs from application code, over plain JDBC. Thread-safe; the
 * {@code Connection}-taking methods join the caller's transaction.
 */
package dev.lamplighter.client;
