package dev.lamplighter.worker.internal.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a schedule is next due: a 5-field UNIX cron expression in an IANA time zone, or a fixed
 * interval. Missed slots coalesce: the next slot is always the first one after "now", however many
 * were missed.
 *
 * <p>Daylight-saving transitions follow cron-utils: a wall-clock time that does not exist that day
 * (spring-forward gap) is skipped for that day; a time that occurs twice (fall-back overlap) fires
 * once, at its first occurrence. Both are tested in {@code TimetableTest}; schedules that must not
 * miss a day should avoid 02:00-03:00 local time or use UTC.
 */
public abstract sealed class Timetable {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, Timetable> CRON_CACHE = new ConcurrentHashMap<>();

    /** The first slot strictly after {@code now}; {@code lastSlot} is the slot just checked. */
    public abstract Instant nextAfter(Instant lastSlot, Instant now);

    /** The first slot of a newly registered schedule. */
    public abstract Instant firstSlot(Instant now, Duration initialDelay);

    /**
     * Reads a schedule row's timetable columns.
     *
     * @throws InvalidScheduleException naming the column, the value and what is allowed
     */
    public static Timetable of(String cron, Duration interval, String timeZone) {
        ZoneId zone = zone(timeZone);
        if (cron != null) {
            return CRON_CACHE.computeIfAbsent(cron.trim() + "|" + zone.getId(), k -> parseCron(cron.trim(), zone));
        }
        if (interval == null || interval.isZero() || interval.isNegative()) {
            throw new InvalidScheduleException("schedule_interval = " + interval
                    + " is not allowed: expected a positive interval (or set schedule_cron instead)");
        }
        return new Every(interval);
    }

    /** @throws InvalidScheduleException if the id is not a known IANA zone */
    public static ZoneId zone(String timeZone) {
        try {
            return ZoneId.of(timeZone == null ? "" : timeZone.trim());
        } catch (DateTimeException e) {
            throw new InvalidScheduleException("time_zone = \"" + timeZone
                    + "\" is not allowed: expected an IANA zone id such as UTC, Europe/Berlin or Asia/Makassar", e);
        }
    }

    private static Timetable parseCron(String expression, ZoneId zone) {
        try {
            Cron cron = UNIX.parse(expression).validate();
            return new CronTimetable(expression, zone, ExecutionTime.forCron(cron));
        } catch (IllegalArgumentException e) {
            throw new InvalidScheduleException("schedule_cron = \"" + expression
                    + "\" is not allowed: expected 5-field UNIX cron (minute 0-59, hour 0-23, day of month 1-31, month 1-12, "
                    + "day of week 0-6) such as '0 */6 * * *': " + e.getMessage(), e);
        }
    }

    static final class CronTimetable extends Timetable {
        private final String expression;
        private final ZoneId zone;
        private final ExecutionTime executionTime;

        CronTimetable(String expression, ZoneId zone, ExecutionTime executionTime) {
            this.expression = expression;
            this.zone = zone;
            this.executionTime = executionTime;
        }

        @Override
        public Instant nextAfter(Instant lastSlot, Instant now) {
            ZonedDateTime from = now.atZone(zone);
            return executionTime.nextExecution(from)
                    .map(ZonedDateTime::toInstant)
                    .orElseThrow(() -> new InvalidScheduleException("schedule_cron = \"" + expression
                            + "\" never fires again after " + from + ": expected an expression with future slots"));
        }

        @Override
        public Instant firstSlot(Instant now, Duration initialDelay) {
            return nextAfter(now, now.plus(initialDelay));
        }

        @Override
        public String toString() {
            return "cron '" + expression + "' in " + zone;
        }
    }

    static final class Every extends Timetable {
        private final Duration every;

        Every(Duration every) {
            this.every = every;
        }

        /** Keeps the slots on the grid lastSlot + k × every, the first such slot after now. */
        @Override
        public Instant nextAfter(Instant lastSlot, Instant now) {
            if (lastSlot.isAfter(now)) {
                return lastSlot;
            }
            long elapsed = Duration.between(lastSlot, now).toMillis();
            long step = every.toMillis();
            long steps = elapsed / step + 1;
            return lastSlot.plusMillis(steps * step);
        }

        @Override
        public Instant firstSlot(Instant now, Duration initialDelay) {
            return now.plus(initialDelay);
        }

        @Override
        public String toString() {
            return "every " + every;
        }
    }
}
