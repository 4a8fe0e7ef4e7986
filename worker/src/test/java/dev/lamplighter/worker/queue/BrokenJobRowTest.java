package dev.lamplighter.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Broken job rows the broken-rows program (chaos/BrokenRows) found stopping the whole queue. */
@Tag(TestClock.TAG)
class BrokenJobRowTest {

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final Instant now = TestClock.start();

    BrokenJobRowTest() {
        db.reset();
    }

    @Test
    void a_job_never_due_is_not_waited_for_and_does_not_fail_the_workers_wait() {
        jdbi.useHandle(h -> h.execute("INSERT INTO lamplighter.jobs (job_type, run_at) VALUES ('t', 'infinity')"));

        Long dueIn = jdbi.withHandle(h -> h.createQuery(SqlFiles.load("jobs/next_due_in"))
                .bind("jobTypes", new String[] {"t"}).bind("now", now).mapTo(Long.class).one());

        assertThat(dueIn).isNull();
    }

    @Test
    void a_queued_job_without_an_attempt_left_is_refused_so_that_no_claim_overflows() {
        long id = jdbi.withHandle(h -> h.createQuery("INSERT INTO lamplighter.jobs (job_type) VALUES ('t') RETURNING job_id")
                .mapTo(Long.class).one());

        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute(
                "UPDATE lamplighter.jobs SET attempts = 2147483647, max_attempts = 2147483647 WHERE job_id = ?", id)))
                .hasMessageContaining("jobs_queued_has_an_attempt_left");
        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute(
                "UPDATE lamplighter.jobs SET attempts = 3 WHERE job_id = ?", id)))
                .hasMessageContaining("jobs_queued_has_an_attempt_left");
        jdbi.useHandle(h -> h.execute("UPDATE lamplighter.jobs SET attempts = 2147483646, max_attempts = 2147483647 "
                + "WHERE job_id = ?", id));
    }
}
