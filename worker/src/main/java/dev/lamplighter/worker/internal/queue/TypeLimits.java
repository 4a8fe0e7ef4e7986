package dev.lamplighter.worker.internal.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The claim of a worker pool, with the concurrency limits of {@code lamplighter.job_types}.
 *
 * <p>Types without a limit are claimed exactly as without this class: one statement
 * ({@code jobs/claim_batch}), no lock, no extra round trip. That statement leaves the limited types
 * alone and names them, so the pool learns which of its types are limited from the claim it makes
 * anyway (an operator's change is seen at the next claim, with no query of its own). Each limited
 * type is then claimed in a transaction of its own, under its advisory lock, for at most the
 * threads that are free now: a limited type is never claimed into the prefetch buffer, where it
 * would hold one of the type's few places while no thread runs it.
 *
 * <p>Limited types are claimed before the unlimited ones, each bounded by its limit, so that a
 * backlog of unlimited jobs never starves them and they never starve the rest. Thread-safe: the
 * worker loop and {@code runOnce} may call {@link #claim} (one at a time per pool in practice).
 */
final class TypeLimits {

    private static final Logger log = LoggerFactory.getLogger(TypeLimits.class);

    private final JobStore store;
    private final Set<String> jobTypes;
    private final String nodeId;
    /** The pool's types that had a limit at the last claim. */
    private volatile Set<String> limited = Set.of();
    private final java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();

    TypeLimits(JobStore store, Set<String> jobTypes, String nodeId) {
        this.store = store;
        this.jobTypes = Set.copyOf(jobTypes);
        this.nodeId = nodeId;
    }

    /** Whether {@code jobType} had a limit at the last claim (its finished jobs make room: worth a wake). */
    boolean isLimited(String jobType) {
        return limited.contains(jobType);
    }

    /**
     * Claims up to {@code limit} jobs: of the limited types (known from the last claim) at most
     * {@code freeThreads}, each within its limit; then the unlimited types; then any type that
     * became limited since the last claim.
     */
    List<ClaimedJob> claim(int limit, int freeThreads, Duration lease) {
        List<ClaimedJob> jobs = new ArrayList<>();
        int room = Math.min(limit, freeThreads);
        Set<String> before = limited;
        room -= claimLimited(before, room, lease, jobs);
        JobStore.Claim claim = store.claim(jobTypes, limit - jobs.size(), lease);
        jobs.addAll(claim.jobs());
        if (claim.limitedTypes() != null) {
            Set<String> now = Set.copyOf(claim.limitedTypes());
            if (!now.equals(before)) {
                log.info("Job types with a concurrency limit on node {}: {} (were {})", nodeId, now, before);
                limited = now;
                Set<String> added = new java.util.HashSet<>(now);
                added.removeAll(before);
                claimLimited(added, Math.min(room, limit - jobs.size()), lease, jobs);
            }
        }
        return jobs;
    }

    private int claimLimited(Set<String> types, int room, Duration lease, List<ClaimedJob> into) {
        if (types.isEmpty() || room <= 0) {
            return 0;
        }
        // A different type first at each claim, so that a small room is not always the same type's.
        List<String> order = new ArrayList<>(new java.util.TreeSet<>(types));
        java.util.Collections.rotate(order, turn.getAndIncrement() % order.size());
        int claimed = 0;
        for (String type : order) {
            if (room - claimed <= 0) {
                break;
            }
            List<ClaimedJob> got = store.claimLimited(type, room - claimed, lease);
            into.addAll(got);
            claimed += got.size();
        }
        return claimed;
    }
}
