/**
 * Micrometer meters of a node's events ({@link dev.lamplighter.worker.metrics.LamplighterMeterBinder}).
 * Micrometer is an optional dependency of lamplighter-worker: this package needs
 * {@code io.micrometer:micrometer-core} on the classpath, the rest of the worker does not. The
 * admin server and the Spring Boot starter both use it.
 */
package dev.lamplighter.worker.metrics;
