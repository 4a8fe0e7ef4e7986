package dev.lamplighter.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The short run of the broken-rows program: every case, 100 bulk rows. Fails when a case's
 * outcome is wrong: refused when it should be reported or the reverse, a message that does not
 * name the column and the value, a row not backed off and disabled, a stack trace logged, more
 * than one log line per case and check, a healthy schedule missing a slot, a stored value changed,
 * a bad setting that starts a node or fails with more than one line.
 */
class BrokenRowsTest {

    private final TestDatabase db = TestDatabase.get();

    BrokenRowsTest() {
        db.reset();
    }

    @Test
    @Tag(TestClock.TAG)
    void every_broken_row_gets_its_expected_outcome_and_every_other_schedule_keeps_its_cadence() {
        BrokenRows.Findings findings = BrokenRows.runRows(db.jdbi(), db.database().dataSource(), TestClock.start(), 100, 20);

        System.out.println(BrokenRowsMarkdown.render(findings));
        assertThat(findings.problems()).isEmpty();
        assertThat(findings.rows()).hasSizeGreaterThanOrEqualTo(100);
    }

    @Test
    void every_bad_setting_stops_the_start_with_one_line_naming_it() throws SQLException {
        List<BrokenRowsSettings.Outcome> outcomes = BrokenRowsSettings.run(url(db));

        assertThat(outcomes).hasSizeGreaterThanOrEqualTo(30);
        assertThat(outcomes.stream().filter(o -> !o.ok())
                .map(o -> o.setting().variable() + "=" + o.setting().value() + ": " + o.problems() + " " + o.output()))
                .isEmpty();
    }

    private static String url(TestDatabase db) throws SQLException {
        String given = System.getenv("LAMPLIGHTER_TEST_DATABASE_URL");
        if (given != null && !given.isBlank()) {
            return given;
        }
        try (Connection c = db.database().dataSource().getConnection()) {
            String url = c.getMetaData().getURL();
            return url + (url.contains("?") ? "&" : "?") + "user=" + c.getMetaData().getUserName();
        }
    }
}
