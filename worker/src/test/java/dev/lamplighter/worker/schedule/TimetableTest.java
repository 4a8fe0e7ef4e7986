package dev.lamplighter.worker.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.worker.internal.schedule.InvalidScheduleException;
import dev.lamplighter.worker.internal.schedule.LauncherBackoff;
import dev.lamplighter.worker.internal.schedule.Timetable;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class TimetableTest {

    private static Instant at(String offsetDateTime) {
        return OffsetDateTime.parse(offsetDateTime).toInstant();
    }

    @Test
    void every_six_hours_in_makassar_fires_at_wita_midnight_six_noon_and_eighteen() {
        Timetable t = Timetable.of("0 */6 * * *", null, "Asia/Makassar");
        Instant now = at("2026-11-23T05:10:00+08:00");
        assertThat(t.nextAfter(now, now)).isEqualTo(at("2026-11-23T06:00:00+08:00"));
        assertThat(t.nextAfter(now, at("2026-11-23T22:00:00+08:00"))).isEqualTo(at("2026-11-24T00:00:00+08:00"));
    }

    @Test
    void missed_slots_coalesce_into_the_first_slot_after_now() {
        Timetable hourly = Timetable.of("0 * * * *", null, "UTC");
        Instant slot = at("2026-11-23T01:00:00Z");
        Instant now = at("2026-11-23T07:42:00Z");
        assertThat(hourly.nextAfter(slot, now)).isEqualTo(at("2026-11-23T08:00:00Z"));

        Timetable every15 = Timetable.of(null, Duration.ofMinutes(15), "UTC");
        assertThat(every15.nextAfter(slot, now)).as("stays on the slot grid").isEqualTo(at("2026-11-23T07:45:00Z"));
        assertThat(every15.nextAfter(slot, slot)).isEqualTo(at("2026-11-23T01:15:00Z"));
    }

    @Test
    void spring_forward_gap_skips_the_time_that_does_not_exist() {
        // Europe/Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist that day,
        // so cron-utils skips that day's slot and the next is 02:30 CEST the day after.
        Timetable t = Timetable.of("30 2 * * *", null, "Europe/Berlin");
        Instant next = t.nextAfter(at("2026-03-29T00:00:00+01:00"), at("2026-03-29T00:00:00+01:00"));
        assertThat(next).isEqualTo(at("2026-03-30T02:30:00+02:00"));
        assertThat(t.nextAfter(next, next)).isEqualTo(at("2026-03-31T02:30:00+02:00"));
        Timetable hourly = Timetable.of("0 * * * *", null, "Europe/Berlin");
        assertThat(hourly.nextAfter(at("2026-03-29T01:30:00+01:00"), at("2026-03-29T01:30:00+01:00")))
                .as("an hourly schedule goes straight from 01:00 CET to 03:00 CEST, one hour later")
                .isEqualTo(at("2026-03-29T03:00:00+02:00"));
    }

    @Test
    void fall_back_overlap_fires_once() {
        // Europe/Berlin, 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
        Timetable t = Timetable.of("30 2 * * *", null, "Europe/Berlin");
        Instant first = t.nextAfter(at("2026-10-25T00:00:00+02:00"), at("2026-10-25T00:00:00+02:00"));
        assertThat(first).isEqualTo(at("2026-10-25T02:30:00+02:00"));
        assertThat(t.nextAfter(first, first)).isEqualTo(at("2026-10-26T02:30:00+01:00"));
    }

    @Test
    void first_slot_honours_the_initial_delay() {
        Instant now = at("2026-11-23T10:00:00Z");
        assertThat(Timetable.of(null, Duration.ofHours(1), "UTC").firstSlot(now, Duration.ofMinutes(5)))
                .isEqualTo(at("2026-11-23T10:05:00Z"));
        assertThat(Timetable.of("0 * * * *", null, "UTC").firstSlot(now, Duration.ZERO))
                .isEqualTo(at("2026-11-23T11:00:00Z"));
        assertThat(Timetable.of("0 * * * *", null, "UTC").firstSlot(now, Duration.ofMinutes(90)))
                .isEqualTo(at("2026-11-23T12:00:00Z"));
    }

    @Test
    void a_bad_cron_expression_is_named_with_what_is_allowed() {
        assertThatThrownBy(() -> Timetable.of("99 * * * *", null, "UTC"))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("schedule_cron = \"99 * * * *\"")
                .hasMessageContaining("expected 5-field UNIX cron");
    }

    @Test
    void an_unknown_time_zone_is_named_with_what_is_allowed() {
        assertThatThrownBy(() -> Timetable.of("0 * * * *", null, "Mars/Olympus_Mons"))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("time_zone = \"Mars/Olympus_Mons\"")
                .hasMessageContaining("IANA zone id");
    }

    @Test
    void launcher_backoff_doubles_from_two_minutes() {
        Duration base = Duration.ofMinutes(2);
        assertThat(LauncherBackoff.delay(base, 1)).isEqualTo(Duration.ofMinutes(2));
        assertThat(LauncherBackoff.delay(base, 2)).isEqualTo(Duration.ofMinutes(4));
        assertThat(LauncherBackoff.delay(base, 3)).isEqualTo(Duration.ofMinutes(8));
        assertThat(LauncherBackoff.delay(base, 4)).isEqualTo(Duration.ofMinutes(16));
    }

    @Test
    void a_zone_is_an_iana_region_id_exactly_never_an_offset() {
        assertThat(Timetable.zone("Asia/Makassar").getId()).isEqualTo("Asia/Makassar");
        assertThat(Timetable.zone("UTC").getId()).isEqualTo("UTC");
        for (String offset : new String[] {"+03:00", "UTC+3", "GMT+3", "UT+3", " UTC", "UTC ", "Z", "EST", ""}) {
            assertThatThrownBy(() -> Timetable.zone(offset)).as(offset).isInstanceOf(InvalidScheduleException.class)
                    .hasMessageStartingWith("time_zone = \"" + offset + "\" is not allowed: expected an IANA zone id");
        }
    }

    @Test
    void a_cron_that_never_fires_names_the_column_and_what_is_allowed() {
        Instant now = at("2026-11-23T05:10:00Z");
        assertThatThrownBy(() -> Timetable.of("0 0 31 2 *", null, "UTC").nextAfter(now, now))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageStartingWith("schedule_cron = \"0 0 31 2 *\" is not allowed: it never fires after 2026-11-23T05:10Z")
                .hasMessageEndingWith("expected an expression with future slots");
    }

    @Test
    void a_next_run_beyond_what_postgresql_stores_is_refused_before_it_is_written() {
        Instant now = at("2026-11-23T05:10:00Z");
        Timetable eons = Timetable.of(null, Duration.ofDays(300_000L * 365), "UTC");
        assertThatThrownBy(() -> eons.nextAfter(now, now)).isInstanceOf(InvalidScheduleException.class)
                .hasMessageStartingWith("schedule_interval = 109500000 days is not allowed: the next run would be in year 301827")
                .hasMessageContaining("beyond what PostgreSQL can store (294276 AD)");
        assertThat(Timetable.of(null, Duration.ofDays(200_000L * 365), "UTC").nextAfter(now, now)).isBefore(Timetable.POSTGRES_MAX);
    }

    @Test
    void long_values_are_cut_with_their_length_and_durations_read_as_people_write_them() {
        assertThat(dev.lamplighter.worker.internal.schedule.Shown.cut("x".repeat(250)))
                .isEqualTo("x".repeat(200) + "... (250 chars)");
        assertThat(dev.lamplighter.worker.internal.schedule.Shown.duration(Duration.ofHours(3))).isEqualTo("3h");
        assertThat(dev.lamplighter.worker.internal.schedule.Shown.duration(Duration.ofSeconds(7325))).isEqualTo("2h2min5s");
        assertThat(dev.lamplighter.worker.internal.schedule.Shown.duration(Duration.ofMillis(250))).isEqualTo("250ms");
    }
}
