package dev.lamplighter.worker.internal.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Starts a worker pool's prefetched attempts on its threads, at most one per slot. A pool thread
 * that finishes an attempt takes the next prefetched one itself ({@link #runPooled}) instead of
 * handing it to another thread and parking: one thread wake-up per job saved while the buffer
 * holds work. A slot freed elsewhere (an attempt abandoned after its time limit, a limited type's
 * outcome written) starts the next attempt on another thread. Once the pool stops, or while its
 * node drains, nothing more is started.
 */
final class Dispatcher {

    /** Set while a pool thread runs an attempt: a slot it frees is reused by {@link #runPooled}, not dispatched. */
    private static final ThreadLocal<Boolean> ON_POOL_THREAD = new ThreadLocal<>();

    private final PrefetchBuffer prefetched = new PrefetchBuffer();
    private final int threads;
    private final Semaphore slots;
    private final AttemptRunner runner;
    private final BooleanSupplier open;
    private final Consumer<Attempt> giveBack;
    private volatile ExecutorService executor;

    /**
     * @param open whether attempts may be started now (the pool runs and its node does not drain)
     * @param giveBack what to do with an attempt that could not be started (the pool is stopping)
     */
    Dispatcher(int threads, AttemptRunner runner, BooleanSupplier open, Consumer<Attempt> giveBack) {
        this.threads = threads;
        this.slots = new Semaphore(threads);
        this.runner = runner;
        this.open = open;
        this.giveBack = giveBack;
    }

    /** The threads attempts run on from now on. */
    void runOn(ExecutorService executor) {
        this.executor = executor;
    }

    /** Prefetched attempts; at least as many as the buffer holds. */
    int prefetched() {
        return prefetched.size();
    }

    boolean nothingPrefetched() {
        return prefetched.isEmpty();
    }

    /** Slots taken by running attempts. */
    int busy() {
        return threads - slots.availablePermits();
    }

    /** Slots free now and not promised to a prefetched attempt. */
    int freeThreads() {
        return Math.max(0, slots.availablePermits() - prefetched.size());
    }

    /** Adds claimed attempts behind the prefetched ones and starts what free slots allow. */
    void offer(List<Attempt> attempts) {
        prefetched.addAll(attempts);
        dispatch();
    }

    /** Takes every prefetched attempt out, none of them started. */
    List<Attempt> takeUnstarted() {
        List<Attempt> unstarted = new ArrayList<>();
        for (Attempt attempt = prefetched.poll(); attempt != null; attempt = prefetched.poll()) {
            unstarted.add(attempt);
        }
        return unstarted;
    }

    /** Starts prefetched attempts while slots are free. Safe to call from any thread. */
    void dispatch() {
        while (open.getAsBoolean() && !prefetched.isEmpty() && slots.tryAcquire()) {
            Attempt attempt = prefetched.poll();
            if (attempt == null) {
                slots.release();
                continue;
            }
            try {
                executor.execute(() -> runPooled(attempt));
            } catch (RejectedExecutionException e) {
                // Stopping: the attempt never started, so it goes back to the queue.
                slots.release();
                giveBack.accept(attempt);
            }
        }
    }

    /**
     * A slot freed: on a pool thread, {@link #runPooled} takes the next attempt itself; elsewhere
     * the next attempt is started here.
     */
    void slotFreed() {
        slots.release();
        if (ON_POOL_THREAD.get() == null) {
            dispatch();
        }
    }

    /** Runs {@code first} on this pool thread, then the next prefetched attempts while a slot is free. */
    private void runPooled(Attempt first) {
        for (Attempt attempt = first; attempt != null; attempt = nextOnThisThread()) {
            ON_POOL_THREAD.set(Boolean.TRUE);
            try {
                runner.run(attempt, executor);
            } finally {
                ON_POOL_THREAD.remove();
            }
        }
    }

    /** The next prefetched attempt with a slot taken for it, or null (then any waiting attempt is dispatched). */
    private Attempt nextOnThisThread() {
        if (open.getAsBoolean() && !prefetched.isEmpty() && slots.tryAcquire()) {
            Attempt next = prefetched.poll();
            if (next != null) {
                return next;
            }
            slots.release();
        }
        dispatch();   // an attempt prefetched while this thread held the slot is started now
        return null;
    }
}
