package dev.lamplighter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** approve, reject, retry, cancel: the admin API's rules and statements, with an audit row each. */
@Tag(TestClock.TAG)
class JobCommandsTest {

    private final TestDatabase db = TestDatabase.get();
    private final MutableClock clock = TestClock.mutable();
    private final CliRun cli = new CliRun(db, clock);
    private final String actor = "cli:" + System.getProperty("user.name");

    @BeforeEach
    void reset() {
        db.reset();
        db.jdbi().useHandle(h -> h.execute("TRUNCATE lamplighter.admin_audit RESTART IDENTITY"));
    }

    private long job(String status) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                INSERT INTO lamplighter.jobs (job_type, status, created_at, run_at, attempts, completed_at, locked_by, locked_until)
                VALUES ('reindex', :status, :now, :now, CASE WHEN :status = 'failed' THEN 3 ELSE 0 END,
                        CASE WHEN :status IN ('failed', 'completed') THEN CAST(:now AS timestamptz) END,
                        CASE WHEN :status = 'running' THEN 'n1' END,
                        CASE WHEN :status = 'running' THEN CAST(:now AS timestamptz) + interval '1 minute' END)
                RETURNING job_id""").bind("status", status).bind("now", clock.instant()).mapTo(Long.class).one());
    }

    private Map<String, Object> row(long id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT status, attempts, run_at, completed_at, last_error "
                + "FROM lamplighter.jobs WHERE job_id = :id").bind("id", id).mapToMap().one());
    }

    private int audits() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM lamplighter.admin_audit").mapTo(Integer.class).one());
    }

    @Test
    void approve_queues_a_job_awaiting_approval_and_writes_an_audit_row_as_the_os_user() throws Exception {
        long id = job("awaiting_approval");
        clock.advance(Duration.ofMinutes(5));
        assertThat(cli.run("approve", String.valueOf(id), "--reason", "proposals reviewed")).isZero();
        assertThat(cli.outLines()).containsExactly("Job " + id + " (reindex): awaiting_approval -> queued, by " + actor + " (audit 1).");
        Map<String, Object> row = row(id);
        assertThat(row.get("status")).isEqualTo("queued");
        assertThat(((java.sql.Timestamp) row.get("run_at")).toInstant()).isEqualTo(clock.instant());
        Map<String, Object> audit = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT actor, action, target, at, detail -> 'before' ->> 'status' AS before, detail ->> 'reason' AS reason,
                       remote_address
                FROM lamplighter.admin_audit""").mapToMap().one());
        assertThat(audit).containsEntry("actor", actor).containsEntry("action", "job.approve")
                .containsEntry("target", "job:" + id).containsEntry("before", "awaiting_approval")
                .containsEntry("reason", "proposals reviewed").containsEntry("remote_address", null);
        assertThat(((java.sql.Timestamp) audit.get("at")).toInstant()).isEqualTo(clock.instant());
    }

    @Test
    void reject_cancel_and_retry_follow_the_admin_api_and_print_json() throws Exception {
        long hitl = job("awaiting_approval");
        assertThat(cli.run("reject", String.valueOf(hitl), "--json")).isZero();
        JsonNode json = cli.json();
        assertThat(json.get("action").asText()).isEqualTo("job.reject");
        assertThat(json.get("actor").asText()).isEqualTo(actor);
        assertThat(json.get("before").asText()).isEqualTo("awaiting_approval");
        assertThat(json.get("job").get("status").asText()).isEqualTo("rejected");
        assertThat(json.get("job").get("last_error").asText()).isEqualTo("rejected by " + actor);
        assertThat(Instant.parse(json.get("job").get("completed_at").asText())).isEqualTo(clock.instant());

        long queued = job("queued");
        assertThat(cli.run("cancel", String.valueOf(queued), "--json")).isZero();
        assertThat(cli.json().get("job").get("status").asText()).isEqualTo("cancelled");
        assertThat(row(queued).get("last_error")).isEqualTo("cancelled by " + actor);

        clock.advance(Duration.ofHours(1));
        assertThat(cli.run("retry", String.valueOf(queued))).isZero();
        assertThat(row(queued).get("status")).isEqualTo("queued");
        long failed = job("failed");
        assertThat(cli.run("retry", String.valueOf(failed), "--json")).isZero();
        JsonNode retried = cli.json().get("job");
        assertThat(retried.get("status").asText()).isEqualTo("queued");
        assertThat(retried.get("attempts").asInt()).isZero();
        assertThat(retried.get("completed_at").isNull()).isTrue();
        assertThat(Instant.parse(retried.get("run_at").asText())).isEqualTo(clock.instant());
        String actions = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT string_agg(action, ',' ORDER BY id) FROM lamplighter.admin_audit").mapTo(String.class).one());
        assertThat(actions).isEqualTo("job.reject,job.cancel,job.retry,job.retry");
    }

    @Test
    void an_action_that_does_not_apply_to_the_status_exits_1_naming_the_status_and_writes_nothing() {
        long running = job("running");
        long completed = job("completed");
        assertThat(cli.run("cancel", String.valueOf(running))).isEqualTo(1);
        assertThat(cli.errLines()).containsExactly("lamplighter: job " + running + " is running: cancel applies only to a job "
                + "that is queued or awaiting_approval (a running job is not interrupted; it ends, fails or times out on its worker)");
        assertThat(cli.run("approve", String.valueOf(completed))).isEqualTo(1);
        assertThat(cli.errLines()).containsExactly("lamplighter: job " + completed + " is completed: approve applies only to a job "
                + "that is awaiting_approval (nothing applies to a completed job)");
        long queued = job("queued");
        assertThat(cli.run("retry", String.valueOf(queued))).isEqualTo(1);
        assertThat(cli.errLines()).containsExactly("lamplighter: job " + queued + " is queued: retry applies only to a job "
                + "that is failed or cancelled (this one: lamplighter cancel " + queued + ")");
        assertThat(row(running).get("status")).isEqualTo("running");
        assertThat(row(completed).get("status")).isEqualTo("completed");
        assertThat(audits()).isZero();
    }

    @Test
    void a_malformed_or_unknown_id_or_a_bad_reason_exits_2_with_one_line() {
        assertThat(cli.run("approve", "abc")).isEqualTo(2);
        assertThat(cli.errLines()).containsExactly(
                "lamplighter: JOB = 'abc' is not allowed: expected a job id: a whole number from 1 to 9223372036854775807");
        assertThat(cli.run("retry", "0")).isEqualTo(2);
        assertThat(cli.run("cancel", "424242")).isEqualTo(2);
        assertThat(cli.errLines()).containsExactly("lamplighter: no job with id 424242: expected the id of an existing job "
                + "(lamplighter history lists recent ones)");
        long id = job("awaiting_approval");
        assertThat(cli.run("approve", String.valueOf(id), "--reason", "x".repeat(501))).isEqualTo(2);
        assertThat(cli.errLines()).hasSize(1);
        assertThat(cli.errLines().get(0)).contains("--reason", "expected 1 to 500 characters (it has 501)");
        assertThat(row(id).get("status")).isEqualTo("awaiting_approval");
        assertThat(audits()).isZero();
    }
}
