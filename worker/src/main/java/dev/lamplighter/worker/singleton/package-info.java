/**
 * Leader-elected singleton services: a long-lived loop that runs on exactly one node of the
 * cluster at a time, registered with {@code Lamplighter.Builder.singleton(name, service)}.
 *
 * <p>Invariants: a singleton is held through a lease row of {@code lamplighter.singletons}
 * (owner, fencing token, {@code lease_until} by the database's clock), never a session lock. At
 * most one node holds a live lease at any instant of the database's clock; each acquisition adds
 * one to the token; a node runs at most one instance of each singleton, and does not lead again
 * until the service of its former leadership has ended. {@link
 * dev.lamplighter.worker.singleton.SingletonContext#verifyLeadership()} asks the database; {@link
 * dev.lamplighter.worker.singleton.SingletonContext#isLeader()} is the node's own view.
 *
 * <p>Thread safety: a {@link dev.lamplighter.worker.singleton.SingletonContext} may be used from
 * any thread; {@link dev.lamplighter.worker.singleton.SingletonOptions} is immutable, its builder is not
 * thread-safe. See docs/design.md, "Singleton services".
 */
package dev.lamplighter.worker.singleton;
