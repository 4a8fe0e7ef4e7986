package dev.lamplighter.worker.internal.poll;

import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.internal.schedule.Timetable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows timetable edits made by SQL. An UPDATE that changes {@code schedule_cron},
 * {@code schedule_interval} or {@code time_zone} without setting {@code next_run} marks the row
 * ({@code timetable_changed}, by the row trigger of V5: cron cannot be evaluated in SQL); this pass
 * recomputes {@code next_run} from the new timetable (the first slot after now; an interval stays
 * on the grid of the last check) and clears the mark. The launcher is not asked. A timetable that
 * cannot be read is made due now instead, so that its check records the error in
 * {@code last_error}, counts it and backs off like any broken row.
 */
final class Rescheduler {

    private static final Logger log = LoggerFactory.getLogger(ScheduleChecker.class);

    private static final String MARK_ORIGIN = SqlFiles.load("scheduler/mark_origin");
    private static final String LIST_CHANGED = SqlFiles.load("scheduled_jobs/list_timetable_changed");
    private static final String RESCHEDULE = SqlFiles.load("scheduled_jobs/reschedule");

    private final Jdbi jdbi;
    private final int limit;

    Rescheduler(Jdbi jdbi, int limit) {
        this.jdbi = jdbi;
        this.limit = limit;
    }

    /** @return how many schedules got a new next_run */
    int rescheduleChanged(Instant now) {
        try (Handle h = jdbi.open()) {
            return h.inTransaction(tx -> {
                List<Changed> rows = tx.createQuery(LIST_CHANGED).bind("now", now).bind("limit", limit)
                        .map((rs, ctx) -> new Changed(rs.getString("name"), rs.getString("schedule_cron"),
                                DueSchedule.millis(rs, "interval_ms"), rs.getString("time_zone"),
                                DueSchedule.instant(rs, "last_run"), DueSchedule.instant(rs, "next_run"),
                                DueSchedule.instant(rs, "now")))
                        .list();
                if (!rows.isEmpty()) {
                    // Only before a write: an idle tick saves the round trip.
                    tx.createQuery(MARK_ORIGIN).mapTo(String.class).one();
                }
                for (Changed row : rows) {
                    Instant next = nextRun(row);
                    tx.createUpdate(RESCHEDULE).bind("name", row.name()).bind("nextRun", next).execute();
                }
                return rows.size();
            });
        }
    }

    private static Instant nextRun(Changed row) {
        try {
            Timetable timetable = Timetable.of(row.cron(), row.interval(), row.timeZone());
            Instant next = timetable.nextAfter(row.lastRun() != null ? row.lastRun() : row.now(), row.now());
            log.info("Schedule '{}' has a new timetable ({}): next check {} instead of {}", row.name(), timetable, next,
                    row.nextRun());
            return next;
        } catch (RuntimeException e) {
            log.debug("Schedule '{}' has a timetable that cannot be read; its check now records why", row.name(), e);
            return row.now();
        }
    }

    private record Changed(String name, String cron, Duration interval, String timeZone, Instant lastRun,
                           Instant nextRun, Instant now) {
    }
}
