package dev.lamplighter.chaos.racing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;

/**
 * What one race did, read from {@code lamplighter.jobs} and {@code lamplighter.decision_log}, with
 * the tick counts the nodes reported.
 *
 * @param variant "in-process" or "processes"
 * @param nodes how many nodes raced
 * @param schedules how many schedules
 * @param ticks ticks run (in-process: clock moves; processes: poll intervals of the 1-interval schedules)
 * @param slotsDue slots that were due (timetable slots in-process; slots in the decision log otherwise)
 * @param launched jobs the race's schedules launched
 * @param duplicates jobs beyond one per launched slot
 * @param misses due slots with no launch
 * @param heldBack due slots skipped because the previous job was still active (a miss of the harness, not the race)
 * @param checkedTwice slots checked more than once
 * @param offTimetable slots checked that are not on the timetable
 * @param failedChecks slots whose check failed
 * @param unlogged jobs that no 'launched' decision names
 * @param tickCounts ticks per node
 * @param took how long the race took
 */
public record RaceFigures(String variant, int nodes, int schedules, int ticks, long slotsDue, long launched,
                          long duplicates, long misses, long heldBack, long checkedTwice, long offTimetable,
                          long failedChecks, long unlogged, List<TickCounts> tickCounts, Duration took) {

    /**
     * Reads the figures of the race now in the database.
     *
     * @param jdbi the database
     * @param firstSlot the first timetable slot (in-process), or null to take the slots from the decision log
     * @param stepMs the schedules' interval (in-process)
     * @return the figures, without the run's description (see {@link #describe})
     */
    static RaceFigures read(Jdbi jdbi, Instant firstSlot, long stepMs, int ticks) {
        return jdbi.withHandle(h -> {
            h.execute(RacingSql.ANALYZE);
            var slots = h.createQuery(RacingSql.SLOT_COUNTS).bind("firstSlot", firstSlot).bind("stepMs", stepMs)
                    .bind("ticks", ticks).mapToMap().one();
            var jobs = h.createQuery(RacingSql.JOB_COUNTS).mapToMap().one();
            long due = n(slots.get("due"));
            long missed = n(slots.get("missed"));
            long launched = n(jobs.get("jobs"));
            return new RaceFigures("", 0, 0, ticks, due, launched, Math.max(0, launched - (due - missed)), missed,
                    n(slots.get("held_back")), n(slots.get("checked_twice")), n(slots.get("off_timetable")),
                    n(slots.get("failed")), n(jobs.get("unlogged")), List.of(), Duration.ZERO);
        });
    }

    RaceFigures describe(String variant, int nodes, int schedules, List<TickCounts> counts, Duration took) {
        return new RaceFigures(variant, nodes, schedules, ticks, slotsDue, launched, duplicates, misses, heldBack,
                checkedTwice, offTimetable, failedChecks, unlogged, List.copyOf(counts), took);
    }

    private static long n(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** @return ticks skipped by every node because another held the lock */
    public long lockContention() {
        return tickCounts.stream().mapToLong(TickCounts::lockHeld).sum();
    }

    /** @return the figures as printed, one per line */
    public String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "racing pollers, %s: %d nodes, %d schedules, %d ticks, %.1f s%n",
                variant, nodes, schedules, ticks, took.toMillis() / 1000.0));
        line(out, "slots due", slotsDue);
        line(out, "launched", launched);
        line(out, "duplicates", duplicates);
        line(out, "misses", misses);
        line(out, "  of which held back (previous job still active)", heldBack);
        line(out, "slots checked twice", checkedTwice);
        line(out, "slots off the timetable", offTimetable);
        line(out, "failed checks", failedChecks);
        line(out, "jobs without a launch decision", unlogged);
        line(out, "lock contention (ticks skipped, lock held)", lockContention());
        for (TickCounts c : tickCounts) {
            out.append(String.format(Locale.ROOT, "  %-12s led %5d ticks with checks, %5d with nothing due; skipped %5d (lock held)%n",
                    c.nodeId(), c.ledWithChecks(), c.ledEmpty(), c.lockHeld()));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String name, long value) {
        out.append(String.format(Locale.ROOT, "  %-48s %10d%n", name, value));
    }

    /** @return the figures as a Markdown table row: variant, nodes, schedules, ticks, due, launched, duplicates, misses, contention */
    public String markdownRow() {
        return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %.1f s |", variant, nodes,
                schedules, ticks, slotsDue, launched, duplicates, misses, checkedTwice, lockContention(),
                took.toMillis() / 1000.0);
    }

    /** @return the ticks per node as a Markdown table */
    public String markdownTicks() {
        StringBuilder out = new StringBuilder("| node | led, with checks | led, nothing due | skipped, lock held |\n|---|---:|---:|---:|\n");
        for (TickCounts c : tickCounts) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d |%n", c.nodeId(), c.ledWithChecks(), c.ledEmpty(), c.lockHeld()));
        }
        return out.toString();
    }
}
