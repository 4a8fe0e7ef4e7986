package dev.lamplighter.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Jdbi;

/**
 * What one run cost on the server: elapsed time, write transactions (xids handed out) and WAL
 * bytes, read before and after. Both counters are server-wide, so other databases' writes during
 * the run count too; the bench's own reads take no xid.
 */
record Measure(long nanos, long xacts, long walBytes) {

    /** The server's counters at one moment, with the JVM's clock. */
    record Mark(long nanoTime, long xid, long wal) {
        static Mark now(Jdbi jdbi) {
            return jdbi.withHandle(h -> h.createQuery(BenchSql.get("counters"))
                    .map((rs, ctx) -> new Mark(System.nanoTime(), rs.getLong("xid"), rs.getLong("wal_bytes"))).one());
        }

        Measure until(Mark end) {
            return new Measure(end.nanoTime - nanoTime, end.xid - xid, end.wal - wal);
        }
    }

    double perSecond(long items) {
        return items / (nanos / 1e9);
    }

    /**
     * Polls {@code remaining} every few milliseconds until it reads 0, then marks the end; fails
     * after {@code timeout}.
     */
    static Mark waitUntilZero(Jdbi jdbi, LongSupplier remaining, Duration timeout) throws InterruptedException {
        return waitUntilZero(jdbi, remaining, timeout, 10);
    }

    /**
     * Waits until every job's handler has run ({@code ran} counted down by the handlers, so the
     * queue under test is not slowed by a count over its table while it drains), then polls
     * {@code remaining} every millisecond until the last outcomes are stored, and marks the end.
     */
    static Mark whenAllRan(CountDownLatch ran, Jdbi jdbi, LongSupplier remaining, Duration timeout)
            throws InterruptedException {
        if (!ran.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(ran.getCount() + " jobs still not run after " + timeout);
        }
        return waitUntilZero(jdbi, remaining, timeout, 1);
    }

    private static Mark waitUntilZero(Jdbi jdbi, LongSupplier remaining, Duration timeout, long pollMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = remaining.getAsLong();
            if (left == 0) {
                return Mark.now(jdbi);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(left + " rows still not done after " + timeout);
            }
            Thread.sleep(pollMillis);   // polling the database for the end of the run
        }
    }
}
