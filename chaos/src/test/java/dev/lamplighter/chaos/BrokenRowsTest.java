package dev.lamplighter.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The short run of the broken-rows program: every case, 100 bulk rows. Fails when a case's
 * outcome is wrong: refused when it should be reported or the reverse, a message that does not
 * name the column and the value, a row not backed off and disabled, a stack trace logged, more
 * than one log line per case and check, a healthy schedule missing a slot, a stored value changed.
 */
@Tag(TestClock.TAG)
class BrokenRowsTest {

    @Test
    void every_broken_row_and_bad_setting_gets_its_expected_outcome_and_the_rest_goes_on() throws SQLException {
        TestDatabase db = TestDatabase.get();
        db.reset();

        BrokenRows.Findings findings = BrokenRows.run(db.jdbi(), db.database().dataSource(), url(db), 100, 20);

        System.out.println(BrokenRowsMarkdown.render(findings));
        assertThat(findings.problems()).isEmpty();
        assertThat(findings.rows()).hasSizeGreaterThanOrEqualTo(100);
        assertThat(findings.settings()).hasSizeGreaterThanOrEqualTo(30);
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
