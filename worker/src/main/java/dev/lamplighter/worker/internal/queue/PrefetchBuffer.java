package dev.lamplighter.worker.internal.queue;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The claimed-but-not-started attempts of a worker pool, in claim order, with a size read in
 * constant time: a freed slot asks it on every job, and a {@link ConcurrentLinkedQueue}'s own
 * {@code size()} walks the whole queue (up to the prefetch cap, 1,000 by default). The count goes
 * up before an attempt is added and down after one is taken, so {@link #size()} is never below
 * what the queue holds: the loop never claims more than it has room for, and never claims a
 * limited type's job for a thread an attempt here was promised to.
 */
final class PrefetchBuffer {

    private final Queue<Attempt> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();

    void addAll(List<Attempt> attempts) {
        count.addAndGet(attempts.size());
        queue.addAll(attempts);
    }

    /** The oldest attempt, or null when there is none. */
    Attempt poll() {
        Attempt attempt = queue.poll();
        if (attempt != null) {
            count.decrementAndGet();
        }
        return attempt;
    }

    int size() {
        return count.get();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }
}
