package dev.lamplighter.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamplighter.Decision;
import dev.lamplighter.JobHandler;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import dev.lamplighter.Schedule;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.worker.escalation.EscalationConfig;
import dev.lamplighter.worker.events.AttemptEvent;
import dev.lamplighter.worker.events.LamplighterListener;
import dev.lamplighter.worker.internal.poll.TickResult;
import dev.lamplighter.worker.testing.LogCapture;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import dev.lamplighter.worker.testing.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A schedule that disables itself reaches the webhook exactly once, from the node whose tick
 * disabled it, with what an operator needs; a failing receiver is retried with backoff and given
 * up in one WARN line; a receiver that never answers holds neither the poll loop nor its lock;
 * failed jobs are sent at most once per type per interval; a bad setting fails in one line.
 */
@Tag(TestClock.TAG)
class EscalationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestDatabase db = TestDatabase.get();

    @BeforeEach
    void reset() {
        db.reset();
    }

    /** Always throws. */
    record Broken(String name) implements Launcher {
        @Override
        public Decision checkConditions(LaunchContext ctx) {
            throw new IllegalStateException("the source is down");
        }
    }

    /** Always skips. */
    record Quiet(String name) implements Launcher {
        @Override
        public Decision checkConditions(LaunchContext ctx) {
            return Decision.skip("nothing to do");
        }
    }

    private static EscalationConfig.Builder webhook(WebhookReceiver receiver) {
        return EscalationConfig.builder().webhookUrl(receiver.url().toString())
                .webhookHeader("Authorization: Bearer test-secret").webhookRetryBase(Duration.ofMillis(100));
    }

    /**
     * A node with the two schedules, started, once its loop's own first tick has ended: from then
     * on only the test's {@code runOnce()} ticks (the poll interval is an hour, LISTEN is off).
     */
    private Lamplighter node(MutableClock clock, String nodeId, EscalationConfig escalation, int maxRetries)
            throws InterruptedException {
        CountDownLatch firstTick = new CountDownLatch(1);
        Lamplighter node = builder(clock, nodeId, escalation, maxRetries).listener(new LamplighterListener() {
            @Override
            public void tickEnded(dev.lamplighter.worker.events.TickEvent event) {
                firstTick.countDown();
            }
        }).start();
        assertThat(firstTick.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the loop's first tick").isTrue();
        return node;
    }

    private Lamplighter.Builder builder(MutableClock clock, String nodeId, EscalationConfig escalation, int maxRetries) {
        return Lamplighter.builder(db.database().dataSource())
                .config(LamplighterConfig.builder().clock(clock).nodeId(nodeId).pollInterval(Duration.ofHours(1))
                        .launcherRetryBase(Duration.ofSeconds(1)).listen(false).workerThreads(0).build())
                .escalation(escalation)
                .schedule(Schedule.builder("esc_broken").cron("0 0 1 1 *").launcher(new Broken("esc_broken_launcher"))
                        .jobType("esc_report").maxRetries(maxRetries).build())
                .schedule(Schedule.builder("esc_quiet").cron("0 0 1 1 *").launcher(new Quiet("esc_quiet_launcher"))
                        .jobType("esc_report").build());
    }

    @Test
    void a_launcher_failing_five_times_sends_exactly_one_post_with_what_an_operator_needs() throws Exception {
        MutableClock clock = TestClock.mutable();
        try (WebhookReceiver receiver = new WebhookReceiver();
             Lamplighter node = node(clock, "esc-node", webhook(receiver).build(), 5)) {
            node.client().trigger("esc_broken");
            for (int ticks = 1; enabled("esc_broken"); ticks++) {
                assertThat(ticks).as("ticks before the schedule is disabled").isLessThanOrEqualTo(5);
                clock.advance(Duration.ofHours(1));   // past the launcher's backoff
                node.poller().runOnce();
            }
            int failedChecks = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM lamplighter.decision_log"
                    + " WHERE schedule_name = 'esc_broken' AND outcome = 'failed'").mapTo(Integer.class).one());
            assertThat(failedChecks).as("the launcher failed max_retries times").isEqualTo(5);
            receiver.await(1, WAIT);
            clock.advance(Duration.ofHours(1));
            node.poller().runOnce();                   // disabled: not due, nothing more to send
            assertThat(node.escalator().awaitIdle(WAIT)).isTrue();

            List<WebhookReceiver.Request> posts = receiver.requests();
            assertThat(posts).hasSize(1);
            assertThat(posts.get(0).header("Authorization")).isEqualTo("Bearer test-secret");
            assertThat(posts.get(0).header("Content-Type")).isEqualTo("application/json");
            JsonNode m = JSON.readTree(posts.get(0).body());
            assertThat(m.get("event").asText()).isEqualTo("schedule_disabled");
            assertThat(m.get("schedule").asText()).isEqualTo("esc_broken");
            assertThat(m.get("launcher").asText()).isEqualTo("esc_broken_launcher");
            assertThat(m.get("job_type").asText()).isEqualTo("esc_report");
            assertThat(m.get("last_error").asText()).contains("IllegalStateException: the source is down");
            assertThat(m.get("retry_count").asInt()).isEqualTo(5);
            assertThat(m.get("max_retries").asInt()).isEqualTo(5);
            assertThat(Instant.parse(m.get("disabled_at").asText())).isEqualTo(clock.instant().minus(Duration.ofHours(1)));
            assertThat(m.get("node").asText()).isEqualTo("esc-node");
            assertThat(m.get("re_enable_sql").asText()).isEqualTo(
                    "UPDATE lamplighter.scheduled_jobs SET enabled = true, retry_count = 0 WHERE name = 'esc_broken'");
            assertThat(m.get("text").asText()).contains("esc_broken").contains("UPDATE lamplighter.scheduled_jobs");

            // The SQL in the message does what it says.
            db.jdbi().useHandle(h -> h.execute(m.get("re_enable_sql").asText()));
            assertThat(enabled("esc_broken")).isTrue();
        }
    }

    @Test
    void a_webhook_that_answers_500_twice_then_200_gets_three_attempts() throws Exception {
        MutableClock clock = TestClock.mutable();
        try (WebhookReceiver receiver = new WebhookReceiver().answer(500, 500, 200);
             LogCapture log = new LogCapture();
             Lamplighter node = node(clock, "esc-retry", webhook(receiver).build(), 1)) {
            node.client().trigger("esc_broken");
            clock.advance(Duration.ofMinutes(1));
            node.poller().runOnce();
            assertThat(enabled("esc_broken")).isFalse();
            receiver.await(3, WAIT);
            assertThat(node.escalator().awaitIdle(WAIT)).isTrue();
            assertThat(receiver.requests()).hasSize(3);
            assertThat(receiver.requests()).extracting(WebhookReceiver.Request::body).containsOnly(receiver.requests().get(0).body());
            assertThat(log.warnings()).noneMatch(l -> l.contains("Escalation"));
        }
    }

    @Test
    void a_webhook_that_fails_every_attempt_is_given_up_in_one_warn_line() throws Exception {
        MutableClock clock = TestClock.mutable();
        try (WebhookReceiver receiver = new WebhookReceiver().answer(503, 503);
             LogCapture log = new LogCapture();
             Lamplighter node = node(clock, "esc-dead", webhook(receiver).webhookAttempts(2).build(), 1)) {
            node.client().trigger("esc_broken");
            clock.advance(Duration.ofMinutes(1));
            node.poller().runOnce();
            receiver.await(2, WAIT);
            assertThat(node.escalator().awaitIdle(WAIT)).isTrue();
            assertThat(receiver.requests()).hasSize(2);
            List<String> lines = log.warnings().stream().filter(l -> l.contains("Escalation webhook")).toList();
            assertThat(lines).singleElement().asString()
                    .contains("http://127.0.0.1:").doesNotContain("/hook")
                    .contains("not delivered after 2 attempt(s), last HTTP 503: schedule esc_broken disabled");
        }
    }

    @Test
    void a_webhook_that_never_answers_holds_neither_the_next_tick_nor_the_lock() throws Exception {
        MutableClock clock = TestClock.mutable();
        try (WebhookReceiver receiver = new WebhookReceiver().hang();
             Lamplighter node = node(clock, "esc-hang", webhook(receiver).webhookTimeout(Duration.ofSeconds(1)).build(), 1)) {
            node.client().trigger("esc_broken");
            clock.advance(Duration.ofMinutes(1));
            node.poller().runOnce();
            receiver.await(1, WAIT);                   // the POST is in flight, and held by the receiver

            node.client().trigger("esc_quiet");
            clock.advance(Duration.ofMinutes(1));
            TickResult next = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> node.poller().runOnce());
            assertThat(next.leader()).as("the tick took the advisory lock").isTrue();
            assertThat(next.skipped()).isEqualTo(1);
            assertThat(receiver.requests()).hasSize(1);
        }
    }

    @Test
    void jobs_failed_for_good_are_sent_once_per_type_per_interval() throws Exception {
        MutableClock clock = TestClock.mutable();
        try (WebhookReceiver receiver = new WebhookReceiver();
             Lamplighter node = Lamplighter.builder(db.database().dataSource())
                     .config(LamplighterConfig.builder().clock(clock).nodeId("esc-jobs").pollInterval(Duration.ofHours(1))
                             .workerPollInterval(Duration.ofMillis(50)).build())
                     .escalation(webhook(receiver).failedJobs(true).build())
                     .handler(JobHandler.of("esc_fails", ctx -> {
                         throw new IllegalStateException("cannot reach the printer for job " + ctx.jobId());
                     }))
                     .start()) {
            CountDownLatch failed = new CountDownLatch(3);
            node.addListener(new LamplighterListener() {   // after the escalator: it has heard each failure first
                @Override
                public void attemptEnded(AttemptEvent event) {
                    if (event.outcome() == AttemptEvent.Outcome.FAILED) {
                        failed.countDown();
                    }
                }
            });
            long first = node.client().enqueue(JobRequest.builder("esc_fails").maxAttempts(1).build());
            receiver.await(1, WAIT);
            node.client().enqueue(JobRequest.builder("esc_fails").maxAttempts(1).build());
            node.client().enqueue(JobRequest.builder("esc_fails").maxAttempts(1).build());
            assertThat(failed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("three jobs failed").isTrue();
            assertThat(node.escalator().awaitIdle(WAIT)).isTrue();

            assertThat(receiver.requests()).as("the next two are folded until the interval ends").hasSize(1);
            JsonNode m = JSON.readTree(receiver.requests().get(0).body());
            assertThat(m.get("event").asText()).isEqualTo("job_failed");
            assertThat(m.get("job_type").asText()).isEqualTo("esc_fails");
            assertThat(m.get("job_id").asLong()).isEqualTo(first);
            assertThat(m.get("attempts").asInt()).isEqualTo(1);
            assertThat(m.get("last_error").asText()).contains("cannot reach the printer for job " + first);
            assertThat(m.get("failures").asInt()).isEqualTo(1);
            assertThat(m.get("interval_seconds").asLong()).isEqualTo(15 * 60);
            assertThat(m.get("node").asText()).isEqualTo("esc-jobs");
        }
    }

    private boolean enabled(String schedule) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT enabled FROM lamplighter.scheduled_jobs WHERE name = :name")
                .bind("name", schedule).mapTo(Boolean.class).one());
    }

    @Test
    void a_bad_webhook_setting_fails_the_start_in_one_line() {
        assertThatThrownBy(() -> LamplighterConfig.fromEnvironment(Map.of("LAMPLIGHTER_ESCALATION_WEBHOOK_URL", "ftp://hooks.example.com/x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("escalationWebhookUrl (LAMPLIGHTER_ESCALATION_WEBHOOK_URL) = \"ftp://hooks.example.com/x\" is not"
                        + " allowed: expected an http:// or https:// URL with a host, such as https://hooks.example.com/lamplighter");
        assertThatThrownBy(() -> LamplighterConfig.fromEnvironment(Map.of("LAMPLIGHTER_ESCALATION_WEBHOOK_URL", "hooks here")))
                .hasMessageStartingWith("escalationWebhookUrl (LAMPLIGHTER_ESCALATION_WEBHOOK_URL) = \"hooks here\" is not allowed");
        assertThatThrownBy(() -> LamplighterConfig.fromEnvironment(Map.of(
                "LAMPLIGHTER_ESCALATION_WEBHOOK_URL", "https://hooks.example.com/x",
                "LAMPLIGHTER_ESCALATION_WEBHOOK_HEADER", "Bearer xyz")))
                .hasMessageStartingWith("escalationWebhookHeader (LAMPLIGHTER_ESCALATION_WEBHOOK_HEADER) = \"Bearer xyz\" is not allowed");
        assertThatThrownBy(() -> LamplighterConfig.fromEnvironment(Map.of("LAMPLIGHTER_ESCALATE_FAILED_JOBS", "true")))
                .hasMessageStartingWith("escalateFailedJobs (LAMPLIGHTER_ESCALATE_FAILED_JOBS) = true is not allowed without a webhook");
        assertThatThrownBy(() -> LamplighterConfig.fromEnvironment(Map.of("LAMPLIGHTER_ESCALATE_FAILED_JOBS", "yes")))
                .hasMessage("LAMPLIGHTER_ESCALATE_FAILED_JOBS = \"yes\" is not allowed: expected true or false");
        assertThatThrownBy(() -> LamplighterConfig.fromEnvironment(Map.of(
                "LAMPLIGHTER_ESCALATION_WEBHOOK_URL", "https://hooks.example.com/x",
                "LAMPLIGHTER_ESCALATION_WEBHOOK_TIMEOUT", "5min")))
                .hasMessage("escalationWebhookTimeout (LAMPLIGHTER_ESCALATION_WEBHOOK_TIMEOUT) = 5min is not allowed:"
                        + " expected from 1s to 2min");
        for (String bad : List.of("ftp://hooks.example.com/x", "hooks here", "https://user:pw@hooks.example.com/x")) {
            assertThatThrownBy(() -> LamplighterConfig.fromEnvironment(Map.of("LAMPLIGHTER_ESCALATION_WEBHOOK_URL", bad)))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }

        EscalationConfig ok = LamplighterConfig.fromEnvironment(Map.of(
                "LAMPLIGHTER_ESCALATION_WEBHOOK_URL", "https://hooks.example.com/services/T0/B0/secret",
                "LAMPLIGHTER_ESCALATION_WEBHOOK_HEADER", "Authorization: Bearer xyz",
                "LAMPLIGHTER_ESCALATE_FAILED_JOBS", "true",
                "LAMPLIGHTER_ESCALATION_FAILED_JOBS_INTERVAL", "30m")).escalation();
        assertThat(ok.webhookHeaderName()).contains("Authorization");
        assertThat(ok.webhookHeaderValue()).contains("Bearer xyz");
        assertThat(ok.failedJobsInterval()).isEqualTo(Duration.ofMinutes(30));
        assertThat(ok.toString()).doesNotContain("xyz").doesNotContain("secret").contains("https://hooks.example.com/");
        assertThat(LamplighterConfig.fromEnvironment(Map.of()).escalation().enabled()).isFalse();
    }
}
