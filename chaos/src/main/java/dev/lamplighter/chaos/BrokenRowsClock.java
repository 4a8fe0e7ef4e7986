package dev.lamplighter.chaos;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The clock the broken-rows program moves by hand: the poll loop's and the workers' "now". Thread-safe. */
final class BrokenRowsClock extends Clock {

    private volatile Instant now;

    BrokenRowsClock(Instant start) {
        this.now = start;
    }

    void set(Instant instant) {
        now = instant;
    }

    synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
