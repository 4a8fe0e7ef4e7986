package dev.lamplighter.worker.poll;

import static dev.lamplighter.worker.poll.PollFixture.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.InvalidParamsException;
import dev.lamplighter.Params;
import dev.lamplighter.Schedule;
import dev.lamplighter.worker.internal.poll.SchedulePoller;
import dev.lamplighter.worker.testing.TestClock;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A row is read exactly as stored: what is not exactly valid is rejected with the real reason. */
@Tag(TestClock.TAG)
class StrictRowTest {

    private final PollFixture f = new PollFixture();
    private final TestLauncher launcher = TestLauncher.launching("L");
    private final SchedulePoller poller = f.poller(launcher);

    private String lastError(String name) {
        return (String) f.row(name).get("last_error");
    }

    @Test
    void a_json_integer_beyond_64_bits_is_rejected_not_wrapped_around() {
        f.insert("big", "L", "0 * * * *", START);
        f.sql("UPDATE lamplighter.scheduled_jobs SET params = '{\"threshold\": 18446744073709551617}'");

        assertThat(poller.runOnce().failed()).isEqualTo(1);

        assertThat(launcher.checks.get()).isZero();
        assertThat(lastError("big")).isEqualTo(
                "params.threshold = 18446744073709551617 is not allowed: expected a whole number from 1 to 1000000");
        assertThatThrownBy(() -> Params.of(Map.of("n", BigInteger.TWO.pow(64).add(BigInteger.ONE)))
                .longValue("n", 0, Long.MIN_VALUE, Long.MAX_VALUE)).isInstanceOf(InvalidParamsException.class);
    }

    @Test
    void a_time_zone_written_as_an_offset_is_rejected_because_java_and_postgresql_read_its_sign_oppositely() {
        String[] offsets = {"+03:00", "UTC+3", "GMT+3", " UTC", "Z"};
        for (int i = 0; i < offsets.length; i++) {
            f.insert("zone_" + i, "L", "0 * * * *", START);
            f.sql("UPDATE lamplighter.scheduled_jobs SET time_zone = '" + offsets[i] + "', next_run = '" + START
                    + "' WHERE name = 'zone_" + i + "'");
        }

        assertThat(poller.runOnce().failed()).isEqualTo(offsets.length);

        for (int i = 0; i < offsets.length; i++) {
            assertThat(lastError("zone_" + i)).isEqualTo("time_zone = \"" + offsets[i]
                    + "\" is not allowed: expected an IANA zone id, a region such as UTC, Europe/Berlin or Asia/Makassar"
                    + " (offsets such as +03:00, UTC+3 or GMT+3 are read with opposite signs by Java and PostgreSQL)");
        }
        assertThatThrownBy(() -> Schedule.builder("s").cron("0 * * * *").timeZone("UTC+3").launcher("L").jobType("s").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeZone = \"UTC+3\" is not allowed");
    }

    @Test
    void a_region_that_both_java_and_postgresql_know_is_accepted() {
        f.sql("INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, time_zone, next_run) "
                + "VALUES ('makassar', 'L', 'makassar', '0 * * * *', 'Asia/Makassar', '" + START + "')");
        assertThat(poller.runOnce().launched()).isEqualTo(1);
    }

    @Test
    void params_too_deep_to_parse_report_the_parsers_reason_and_a_short_value() {
        String deep = "{\"a\": " + "[".repeat(2000) + "]".repeat(2000) + "}";
        f.insert("deep", "L", "0 * * * *", START);
        f.jdbi.useHandle(h -> h.createUpdate("UPDATE lamplighter.scheduled_jobs SET params = CAST(:p AS jsonb)")
                .bind("p", deep).execute());

        assertThat(poller.runOnce().failed()).isEqualTo(1);

        String error = lastError("deep");
        assertThat(error).startsWith("params = {\"a\": [[[[").contains("... (" + deep.length() + " chars) is not allowed: ")
                .contains("nesting depth").doesNotContain("expected a JSON object");
        assertThat(error.length()).isLessThan(600);
    }
}
