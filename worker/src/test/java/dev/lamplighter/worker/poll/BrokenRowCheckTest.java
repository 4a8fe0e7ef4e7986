package dev.lamplighter.worker.poll;

import static dev.lamplighter.worker.poll.PollFixture.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.worker.internal.poll.SchedulePoller;
import dev.lamplighter.worker.internal.poll.TickResult;
import dev.lamplighter.worker.testing.LogCapture;
import dev.lamplighter.worker.testing.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Broken rows the broken-rows program (chaos/BrokenRows) found breaking more than themselves. */
@Tag(TestClock.TAG)
class BrokenRowCheckTest {

    private final PollFixture f = new PollFixture();
    private final TestLauncher launcher = TestLauncher.launching("L");
    private final SchedulePoller poller = f.poller(launcher);

    @Test
    void a_schedule_due_since_minus_infinity_is_checked_with_its_chunk_not_alone() {
        f.insert("a", "L", "0 * * * *", START);
        f.insert("b", "L", "0 * * * *", START);
        f.insert("forever_due", "L", "0 * * * *", START);
        f.sql("UPDATE lamplighter.scheduled_jobs SET next_run = '-infinity' WHERE name = 'forever_due'");

        TickResult r;
        try (LogCapture log = new LogCapture()) {
            r = poller.runOnce();
            assertThat(log.warnings()).as("no chunk failed as a whole").isEmpty();
        }

        assertThat(r.launched()).isEqualTo(3);
        assertThat(f.nextRun("forever_due")).isEqualTo(START.plus(Duration.ofHours(1)));
    }

    @Test
    void a_schedule_due_since_4713_bc_is_checked_and_does_not_fail_the_chunk_of_the_others() {
        f.insert("a", "L", "0 * * * *", START);
        f.insert("b", "L", "0 * * * *", START);
        f.insert("ancient", "L", "0 * * * *", START);
        f.sql("UPDATE lamplighter.scheduled_jobs SET next_run = '4713-01-01 00:00:00+00 BC' WHERE name = 'ancient'");

        TickResult r;
        try (LogCapture log = new LogCapture()) {
            r = poller.runOnce();
            assertThat(log.warnings()).as("no chunk failed as a whole").isEmpty();
        }

        assertThat(r.launched()).isEqualTo(3);
        assertThat(f.nextRun("ancient")).isEqualTo(START.plus(Duration.ofHours(1)));
    }

    @Test
    void an_interval_schedule_due_since_minus_infinity_launches_and_is_next_due_one_interval_later() {
        f.sql("INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_interval, next_run) "
                + "VALUES ('every', 'L', 'every', interval '5 minutes', '-infinity')");

        assertThat(poller.runOnce().launched()).isEqualTo(1);

        assertThat(f.row("every")).containsEntry("retry_count", 0).containsEntry("last_error", null);
        assertThat(f.nextRun("every")).isEqualTo(START.plus(Duration.ofMinutes(5)));
    }

    @Test
    void the_database_refuses_infinite_intervals_and_null_or_empty_required_capabilities() {
        f.insert("s", "L", "0 * * * *", START);

        assertThatThrownBy(() -> f.sql("UPDATE lamplighter.scheduled_jobs SET schedule_cron = NULL, "
                + "schedule_interval = interval 'infinity'")).hasMessageContaining("scheduled_jobs_interval_finite");
        assertThatThrownBy(() -> f.sql("UPDATE lamplighter.scheduled_jobs SET misfire_grace = interval 'infinity'"))
                .hasMessageContaining("scheduled_jobs_misfire_grace_finite");
        assertThatThrownBy(() -> f.sql("UPDATE lamplighter.scheduled_jobs SET requires = '{llm, NULL}'"))
                .hasMessageContaining("scheduled_jobs_requires_names");
        assertThatThrownBy(() -> f.sql("UPDATE lamplighter.scheduled_jobs SET requires = '{\"\"}'"))
                .hasMessageContaining("scheduled_jobs_requires_names");
    }

    @Test
    void a_launcher_name_with_a_newline_is_reported_on_one_line() {
        f.insert("forged", "L", "0 * * * *", START);
        f.sql("UPDATE lamplighter.scheduled_jobs SET launcher = 'X' || chr(10) || 'INFO forged', next_run = '"
                + START + "'");

        try (LogCapture log = new LogCapture()) {
            poller.runOnce();
            assertThat(log.warnings()).hasSize(1).allSatisfy(line -> assertThat(line).doesNotContain("\n"));
        }

        assertThat((String) f.row("forged").get("last_error")).startsWith("launcher = \"X\\nINFO forged\" is not registered");
    }

    @Test
    void a_null_required_capability_stored_before_v15_is_reported_and_does_not_stop_the_report() {
        f.insert("gpu", "L", "0 * * * *", START);
        f.insert("nulls", "L", "0 * * * *", START);
        f.sql("UPDATE lamplighter.scheduled_jobs SET requires = '{gpu}' WHERE name = 'gpu'");
        f.sql("ALTER TABLE lamplighter.scheduled_jobs DROP CONSTRAINT scheduled_jobs_requires_names");
        try {
            f.sql("UPDATE lamplighter.scheduled_jobs SET requires = '{NULL}' WHERE name = 'nulls'");

            assertThat(poller.runOnce().notChecked()).isEqualTo(2);

            assertThat((String) f.row("nulls").get("last_error")).startsWith("requires capabilities [null]: node node-a lacks [null]");
            assertThat((String) f.row("gpu").get("last_error")).startsWith("requires capabilities [gpu]");
        } finally {
            f.sql("DELETE FROM lamplighter.scheduled_jobs");
            f.sql("ALTER TABLE lamplighter.scheduled_jobs ADD CONSTRAINT scheduled_jobs_requires_names "
                    + "CHECK (array_position(requires, NULL) IS NULL AND '' <> ALL (requires)) NOT VALID");
        }
    }
}
