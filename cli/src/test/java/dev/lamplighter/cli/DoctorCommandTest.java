package dev.lamplighter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** doctor: "jobs not running even when needed", one finding per line, exit 0 healthy, 1 attention. */
@Tag(TestClock.TAG)
class DoctorCommandTest {

    private final TestDatabase db = TestDatabase.get();
    private final MutableClock clock = TestClock.mutable();
    private final CliRun cli = new CliRun(db, clock);

    @BeforeEach
    void healthy() {
        db.reset();
        Instant now = clock.instant();
        NodesCommandTest.node(db, "n1", now.minusSeconds(10), now.minusSeconds(10),
                new String[] {"lamplighter.counter"}, new String[] {"llm"}, new String[] {"remeasure"});
        schedule("remeasure", now.plus(Duration.ofMinutes(42)), true, 0, null);
    }

    private void schedule(String name, Instant nextRun, boolean enabled, int retries, String error) {
        db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, next_run, enabled, retry_count,
                                                        last_error, params, requires)
                VALUES (:name, 'lamplighter.counter', 'remeasure', '0 * * * *', :next, :enabled, :retries, :error,
                        '{"counter": "changes", "threshold": 3}', '{llm}')""")
                .bind("name", name).bind("next", nextRun).bind("enabled", enabled).bind("retries", retries)
                .bind("error", error).execute());
    }

    private List<String> checks(JsonNode json, String severity) {
        List<String> found = new ArrayList<>();
        json.get("findings").forEach(f -> {
            if (f.get("severity").asText().equals(severity)) {
                found.add((f.get("schedule").isNull() ? "" : f.get("schedule").asText() + ":") + f.get("check").asText());
            }
        });
        return found;
    }

    @Test
    void a_healthy_set_up_exits_0_and_says_why_each_check_passed() throws Exception {
        assertThat(cli.run("doctor")).isZero();
        assertThat(cli.outLines()).contains(
                "ok        poll loop alive: node n1 led a tick 10s ago (1 live node(s))",
                "ok        remeasure: next check in 42min (" + clock.instant().plus(Duration.ofMinutes(42)) + ")",
                "ok        remeasure: launcher lamplighter.counter on live node(s) [n1]",
                "ok        remeasure: handler for job type remeasure on live node(s) [n1]",
                "Healthy: nothing needs attention.");
        assertThat(cli.out()).contains("remeasure: conditions not met now: would skip");
        assertThat(cli.run("doctor", "remeasure", "--json")).isZero();
        JsonNode json = cli.json();
        assertThat(json.get("healthy").asBoolean()).isTrue();
        assertThat(json.get("attention").asInt()).isZero();
        assertThat(checks(json, "ok")).contains("poll_loop", "remeasure:next_run", "remeasure:conditions", "remeasure:launcher",
                "remeasure:handler");
    }

    @Test
    void a_broken_set_up_prints_each_finding_with_what_to_do_and_exits_1() throws Exception {
        Instant now = clock.instant();
        schedule("billing", now.minus(Duration.ofHours(3)), false, 5, "IllegalStateException: boom");
        schedule("flaky", now.minus(Duration.ofHours(3)), true, 2, "SQLException: timeout");
        db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.jobs (job_type, status, run_at, created_at) VALUES ('orphan', 'queued', :t, :t), ('orphan', 'queued', :t, :t);
                INSERT INTO lamplighter.jobs (job_type, status, schedule_name, run_at, created_at)
                VALUES ('remeasure', 'awaiting_approval', 'remeasure', :t, :t)""").bind("t", now.minusSeconds(60)).execute());
        // The poll loop stopped ticking 10 minutes ago; the node still heartbeats.
        clock.advance(Duration.ofMinutes(10));
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE lamplighter.nodes SET last_seen_at = :now").bind("now", clock.instant())
                .execute());
        assertThat(cli.run("doctor")).isEqualTo(1);
        List<String> lines = cli.outLines();
        assertThat(lines).contains(
                "attention no node led a tick within twice the poll interval, 2min: the last was 10min 10s ago by node n1; "
                        + "1 live node(s) -> look at the nodes' logs for 'Poll loop'; LAMPLIGHTER_POLL_INTERVAL must match the "
                        + "nodes' (this CLI assumes 1min)",
                "attention billing: disabled after 5 consecutive failures (max_retries 5), last error: IllegalStateException: boom "
                        + "-> fix the cause, then: lamplighter enable billing",
                "attention flaky: next_run " + now.minus(Duration.ofHours(3)) + " is 3h 10min in the past: no node has checked it "
                        + "-> see the poll_loop and launcher findings; lamplighter nodes lists who is up",
                "attention flaky: failing: retry 2/5, last error: SQLException: timeout (disabled at 5) -> fix the cause; "
                        + "lamplighter decisions flaky shows each failure");
        assertThat(lines).contains("attention remeasure: 1 job(s) awaiting approval, the oldest (job 3) since "
                + now.minusSeconds(60) + ": the schedule launches no other job while one waits -> lamplighter approve 3 (or reject 3)");
        assertThat(lines).anyMatch(l -> l.startsWith("attention 2 queued job(s) of type 'orphan'")
                && l.contains("no live node handles 'orphan'; the live nodes handle [remeasure]"));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("6 findings need attention.");

        assertThat(cli.run("doctor", "--json", "--no-conditions")).isEqualTo(1);
        JsonNode json = cli.json();
        assertThat(json.get("healthy").asBoolean()).isFalse();
        assertThat(checks(json, "attention")).containsExactlyInAnyOrder("poll_loop", "billing:enabled", "flaky:next_run",
                "flaky:retries", "remeasure:awaiting_approval", "unhandled_jobs");
        assertThat(checks(json, "ok")).doesNotContain("remeasure:conditions");

        assertThat(cli.run("doctor", "remeasure", "--quiet")).isEqualTo(1);
        assertThat(cli.outLines()).hasSize(3).allMatch(l -> !l.startsWith("ok"));
    }

    @Test
    void no_live_node_with_the_launcher_capabilities_or_handler_is_a_finding_each() throws Exception {
        db.jdbi().useHandle(h -> h.execute("UPDATE lamplighter.nodes SET capabilities = '{}', job_types = '{}'"));
        assertThat(cli.run("doctor", "remeasure", "--json")).isEqualTo(1);
        JsonNode json = cli.json();
        assertThat(checks(json, "attention")).containsExactlyInAnyOrder("remeasure:launcher", "remeasure:handler");
        assertThat(json.toString()).contains("live node(s) [n1] have launcher lamplighter.counter but not every capability it "
                + "requires [llm]", "LAMPLIGHTER_CAPABILITIES=llm", "no live node has a handler for job type remeasure");
        assertThat(cli.run("doctor", "nope")).isEqualTo(1);
        assertThat(cli.errLines()).containsExactly("lamplighter: no schedule named 'nope': expected one of [remeasure]");
    }
}
