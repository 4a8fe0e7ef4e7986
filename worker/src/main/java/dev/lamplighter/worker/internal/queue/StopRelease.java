package dev.lamplighter.worker.internal.queue;

import dev.lamplighter.worker.internal.LoopErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stopping worker pool gives back to the queue: the prefetched attempts that never started
 * and the running ones that did not finish within the drain timeout, together in one statement
 * ({@code sql/jobs/release_batch.sql}), attempt not counted. One INFO line says how many; a
 * release that fails leaves the jobs to the rescuer, with one WARN line.
 */
final class StopRelease {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    private StopRelease() {
    }

    /** @param when "at shutdown" or "on drain", for the log line */
    static void releaseAll(OutcomeStore outcomes, String nodeId, List<Attempt> unstarted, List<Attempt> stillRunning,
                           String when) {
        if (unstarted.isEmpty() && stillRunning.isEmpty()) {
            return;
        }
        List<ClaimedJob> jobs = new ArrayList<>();
        unstarted.forEach(a -> jobs.add(a.job()));
        stillRunning.forEach(a -> jobs.add(a.job()));
        Set<Long> released = Set.of();
        try {
            released = outcomes.release(jobs);
        } catch (RuntimeException e) {
            log.warn("Could not release {} job(s) {} on node {}; the rescuer will take them back after their "
                    + "lease: {}", jobs.size(), when, nodeId, LoopErrors.describe(e));
        } finally {
            unstarted.forEach(Attempt::releasedUnstarted);
        }
        if (!released.isEmpty()) {
            Set<Long> ids = released;
            long prefetchedBack = unstarted.stream().filter(a -> ids.contains(a.job().jobId())).count();
            log.info("Worker pool on node {}: {} job(s) released back to the queue {} ({} prefetched, {} running: {})",
                    nodeId, released.size(), when, prefetchedBack, released.size() - prefetchedBack,
                    new TreeSet<>(stillRunning.stream().map(a -> a.job().jobId()).filter(ids::contains).toList()));
        }
    }
}
