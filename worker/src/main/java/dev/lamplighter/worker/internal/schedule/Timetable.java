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

    /**
     * The latest instant PostgreSQL's {@code timestamptz} holds (294276 AD); a next run beyond it
     * cannot be stored.
     */
    public static final Instant POSTGRES_MAX = Instant.parse("+294276-12-31T23:59:59Z");

    /**
     * The earliest instant PostgreSQL's {@code timestamptz} holds (4714 BC); an earlier one read
     * from a row is {@code -infinity}.
     */
    public static final Instant POSTGRES_MIN = Instant.parse("-4713-11-24T00:00:00Z");

    /**
     * Time zones a row may name: the IANA region ids Java knows ({@link ZoneId#getAvailableZoneIds()},
     * which includes {@code UTC}). Offsets ({@code +03:00}, {@code UTC+3}, {@code GMT+3}) are not
     * allowed: Java and PostgreSQL read their signs oppositely (POSIX), so the same text would mean
     * two different times.
     */
    private static final java.util.Set<String> REGION_IDS = java.util.Set.copyOf(ZoneId.getAvailableZoneIds());

    /**
     * The first slot strictly after {@code now}; {@code lastSlot} is the slot just checked.
     *
     * @throws InvalidScheduleException if there is no such slot that PostgreSQL can store
     */
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

    /**
     * Reads a {@code time_zone} strictly: exactly an IANA region id (no surrounding blanks, no
     * offsets, no abbreviations Java maps on its own).
     *
     * @throws InvalidScheduleException if it is not one
     */
    public static ZoneId zone(String timeZone) {
        if (timeZone == null || !REGION_IDS.contains(timeZone)) {
            throw new InvalidScheduleException("time_zone = " + Shown.quoted(timeZone)
                    + " is not allowed: expected an IANA zone id, a region such as UTC, Europe/Berlin or Asia/Makassar"
                    + " (offsets such as +03:00, UTC+3 or GMT+3 are read with opposite signs by Java and PostgreSQL)");
        }
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new InvalidScheduleException("time_zone = " + Shown.quoted(timeZone)
                    + " is not allowed: " + e.getMessage(), e);
        }
    }

    /** Whether {@link #zone(String)} accepts the id. */
    public static boolean isAllowedZone(String timeZone) {
        return timeZone != null && REGION_IDS.contains(timeZone);
    }

    /** @throws InvalidScheduleException naming {@code column} if {@code next} cannot be stored */
    static Instant storable(Instant next, String column, String value) {
        if (next.isAfter(POSTGRES_MAX)) {
            throw new InvalidScheduleException(column + " = " + value + " is not allowed: the next run would be in year "
                    + next.atOffset(java.time.ZoneOffset.UTC).getYear()
                    + ", beyond what PostgreSQL can store (294276 AD): expected a shorter schedule");
        }
        return next;
    }

    private static Timetable parseCron(String expression, ZoneId zone) {
        try {
            Cron cron = UNIX.parse(expression).validate();
            return new CronTimetable(expression, zone, ExecutionTime.forCron(cron));
        } catch (IllegalArgumentException e) {
            throw new InvalidScheduleException("schedule_cron = " + Shown.quoted(expression)
                    + " is not allowed: expected 5-field UNIX cron (minute 0-59, hour 0-23, day of month 1-31, month 1-12, "
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
            Instant next = executionTime.nextExecution(from)
                    .map(ZonedDateTime::toInstant)
                    .orElseThrow(() -> new InvalidScheduleException("schedule_cron = " + Shown.quoted(expression)
                            + " is not allowed: it never fires after " + from.toOffsetDateTime()
                            + " (a date that does not exist, such as 31 February?): expected an expression with future slots"));
            return storable(next, "schedule_cron", Shown.quoted(expression));
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
                return storable(lastSlot, "schedule_interval", human());
            }
            if (lastSlot.isBefore(POSTGRES_MIN)) {
                // next_run = '-infinity' (an operator's "due now"): there is no grid to keep; it starts at now.
                return storable(now.plus(every), "schedule_interval", human());
            }
            try {
                long elapsed = Duration.between(lastSlot, now).toMillis();
                long step = every.toMillis();
                long steps = elapsed / step + 1;
                return storable(lastSlot.plusMillis(Math.multiplyExact(steps, step)), "schedule_interval", human());
            } catch (ArithmeticException | DateTimeException e) {
                throw new InvalidScheduleException("schedule_interval = " + human()
                        + " is not allowed: the next run after " + lastSlot + " cannot be computed (" + e.getMessage()
                        + "): expected a shorter interval", e);
            }
        }

        @Override
        public Instant firstSlot(Instant now, Duration initialDelay) {
            return storable(now.plus(initialDelay), "schedule_interval", human());
        }

        private String human() {
            long days = every.toDays();
            return days >= 365 && every.equals(Duration.ofDays(days)) ? days + " days" : every.toString();
        }

        @Override
        public String toString() {
            return "every " + every;
        }
    }
}
