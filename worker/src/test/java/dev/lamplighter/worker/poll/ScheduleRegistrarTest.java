package dev.lamplighter.worker.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.Schedule;
import dev.lamplighter.worker.internal.poll.ScheduleRegistrar;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(TestClock.TAG)
class ScheduleRegistrarTest {

    private static final Instant START = TestClock.at(java.time.LocalTime.of(10, 10));

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = new MutableClock(START);
    private final ScheduleRegistrar registrar = new ScheduleRegistrar(jdbi, clock);

    @BeforeEach
    void reset() {
        db.reset();
    }

    private static Schedule.Builder remeasure() {
        return Schedule.builder("epistemic_remeasurement").cron("0 * * * *").launcher("EpistemicRemeasurementLauncher")
                .jobType("epistemic_remeasurement").param("threshold", 10);
    }

    private Map<String, Object> row(String name) {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT *, CAST(params AS text) AS params_text FROM lamplighter.scheduled_jobs WHERE name = :n")
                .bind("n", name).mapToMap().one());
    }

    private static Instant instant(Object ts) {
        return ((Timestamp) ts).toInstant();
    }

    @Test
    void a_new_schedule_is_inserted_with_its_first_slot() {
        registrar.register(List.of(remeasure().build(),
                Schedule.builder("cleanup").every(Duration.ofMinutes(15)).initialDelay(Duration.ofMinutes(2))
                        .launcher("L").jobType("cleanup").build(),
                Schedule.builder("category_refresh").cron("0 */6 * * *").timeZone("Asia/Makassar")
                        .launcher("L").jobType("category_refresh").build()));

        assertThat(row("epistemic_remeasurement")).containsEntry("enabled", true).containsEntry("retry_count", 0)
                .containsEntry("params_text", "{\"threshold\": 10}").containsEntry("automation", "autonomous");
        assertThat(instant(row("epistemic_remeasurement").get("next_run"))).isEqualTo(START.plus(Duration.ofMinutes(50)));
        assertThat(instant(row("cleanup").get("next_run"))).isEqualTo(START.plus(Duration.ofMinutes(2)));
        assertThat(instant(row("category_refresh").get("next_run")))
                .as("10:10 UTC is 18:10 WITA; the next 6-hourly WITA slot is 00:00 WITA, 16:00 UTC")
                .isEqualTo(START.plus(Duration.ofMinutes(350)));
    }

    @Test
    void registering_again_never_duplicates_and_never_overwrites_what_an_operator_changed() {
        registrar.register(List.of(remeasure().build()));
        Instant operatorsNextRun = START.plus(Duration.ofDays(1000));
        jdbi.useHandle(h -> h.createUpdate("""
                UPDATE lamplighter.scheduled_jobs
                SET enabled = false, next_run = :next, schedule_cron = '*/30 * * * *'
                WHERE name = 'epistemic_remeasurement'""").bind("next", operatorsNextRun).execute());

        clock.advance(Duration.ofHours(3));
        registrar.register(List.of(remeasure().build()));
        registrar.register(List.of(remeasure().build()));

        int rows = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM lamplighter.scheduled_jobs").mapTo(Integer.class).one());
        assertThat(rows).isEqualTo(1);
        Map<String, Object> row = row("epistemic_remeasurement");
        assertThat(row).containsEntry("enabled", false).containsEntry("schedule_cron", "*/30 * * * *");
        assertThat(instant(row.get("next_run"))).isEqualTo(operatorsNextRun);
    }

    @Test
    void a_changed_declaration_applies_to_columns_the_operator_left_alone() {
        registrar.register(List.of(remeasure().build()));
        jdbi.useHandle(h -> h.execute(
                "UPDATE lamplighter.scheduled_jobs SET params = '{\"threshold\": 25}' WHERE name = 'epistemic_remeasurement'"));

        registrar.register(List.of(remeasure().cron("*/10 * * * *").param("threshold", 12).priority(5).build()));

        Map<String, Object> row = row("epistemic_remeasurement");
        assertThat(row).containsEntry("schedule_cron", "*/10 * * * *").containsEntry("priority", 5)
                .as("the operator's params win").containsEntry("params_text", "{\"threshold\": 25}");
        assertThat(instant(row.get("next_run"))).as("the new timetable brings next_run earlier")
                .isEqualTo(START.plus(Duration.ofMinutes(10)));
    }

    @Test
    void a_row_written_by_sql_is_adopted_without_changing_it() {
        jdbi.useHandle(h -> h.execute("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, time_zone)
                VALUES ('epistemic_remeasurement', 'EpistemicRemeasurementLauncher', 'epistemic_remeasurement', '0 */2 * * *', 'UTC')"""));
        registrar.register(List.of(remeasure().build()));
        assertThat(row("epistemic_remeasurement")).containsEntry("schedule_cron", "0 */2 * * *")
                .containsEntry("params_text", "{}");
        assertThat(row("epistemic_remeasurement").get("declared")).isNotNull();
    }

    private String misfireGrace() {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT coalesce(CAST(misfire_grace AS text), 'none') FROM lamplighter.scheduled_jobs").mapTo(String.class).one());
    }

    @Test
    void a_declared_misfire_grace_is_registered_and_merged_like_the_other_declared_columns() {
        registrar.register(List.of(remeasure().misfireGrace(Duration.ofMinutes(10)).build()));
        assertThat(misfireGrace()).isEqualTo("00:10:00");

        registrar.register(List.of(remeasure().misfireGrace(Duration.ofMinutes(20)).build()));
        assertThat(misfireGrace()).as("follows the code while the operator left it alone").isEqualTo("00:20:00");

        jdbi.useHandle(h -> h.execute("UPDATE lamplighter.scheduled_jobs SET misfire_grace = interval '1 hour'"));
        registrar.register(List.of(remeasure().misfireGrace(Duration.ofMinutes(30)).build()));
        registrar.register(List.of(remeasure().build()));
        assertThat(misfireGrace()).as("the operator's value wins").isEqualTo("01:00:00");
    }

    @Test
    void a_misfire_grace_that_is_not_positive_is_rejected_when_the_schedule_is_built() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> remeasure().misfireGrace(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("schedule 'epistemic_remeasurement': misfireGrace = PT0S is not allowed: "
                        + "expected a positive duration, or null for no limit");
    }
}
