package dev.lamplighter.worker.internal.escalation;

import dev.lamplighter.worker.escalation.EscalationConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs JSON documents to the webhook with the JDK's {@link HttpClient}: each attempt within the
 * timeout, a failed attempt (a status other than 2xx, a timeout, a refused connection) retried
 * after the retry base, doubled each time, up to the configured attempts; a message that fails
 * every attempt is one WARN line. Attempts run on the given executor, never on the caller's
 * thread; waits between them are scheduled, never slept. At most {@link #MAX_PENDING} messages wait
 * at once: beyond that a message is dropped with a WARN line (once until the queue drains). Thread-safe.
 */
final class WebhookSender {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    /** Messages that may wait for delivery at once. */
    static final int MAX_PENDING = 1000;

    private final EscalationConfig config;
    private final URI url;
    private final ScheduledExecutorService executor;
    private final HttpClient client;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean overflowReported;

    WebhookSender(EscalationConfig config, ScheduledExecutorService executor) {
        this.config = config;
        this.url = config.webhookUrl().orElseThrow(() -> new IllegalArgumentException("no webhook URL"));
        this.executor = executor;
        this.client = HttpClient.newBuilder().connectTimeout(config.webhookTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Queues {@code json} for delivery; returns at once.
     *
     * @param what the message in a few words, for the log (e.g. "schedule nightly disabled")
     * @return false when it was dropped (too many waiting, or the node stops)
     */
    boolean send(String what, String json) {
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            if (!overflowReported) {
                overflowReported = true;
                log.warn("Escalation webhook {}: {} messages wait for delivery already; dropped: {} (and further ones"
                        + " until the queue drains)", shown(), MAX_PENDING, what);
            }
            return false;
        }
        try {
            executor.execute(() -> attempt(what, json, 1));
            return true;
        } catch (RejectedExecutionException e) {
            done();
            log.warn("Escalation webhook {}: not sent, the node is stopping: {}", shown(), what);
            return false;
        }
    }

    /** Messages queued and not yet delivered or given up. */
    int pending() {
        return pending.get();
    }

    private void attempt(String what, String json, int attempt) {
        String failure;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(config.webhookTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Lamplighter")
                    .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
            if (config.webhookHeaderName().isPresent()) {
                request.header(config.webhookHeaderName().get(), config.webhookHeaderValue().orElse(""));
            }
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                log.debug("Escalation webhook {}: delivered at attempt {}: {}", shown(), attempt, what);
                done();
                return;
            }
            failure = "HTTP " + response.statusCode();
        } catch (IOException e) {
            failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Escalation webhook {}: not delivered, the node stopped during attempt {}: {}", shown(), attempt, what);
            done();
            return;
        } catch (RuntimeException e) {
            failure = e.toString();
        }
        if (attempt >= config.webhookAttempts()) {
            log.warn("Escalation webhook {}: not delivered after {} attempt(s), last {}: {}", shown(), attempt, failure, what);
            done();
            return;
        }
        Duration wait = config.webhookRetryBase().multipliedBy(1L << (attempt - 1));
        log.debug("Escalation webhook {}: attempt {} failed ({}); next in {} ms", shown(), attempt, failure, wait.toMillis());
        String lastFailure = failure;
        try {
            executor.schedule(() -> attempt(what, json, attempt + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.warn("Escalation webhook {}: not delivered, the node stopped after attempt {} ({}): {}", shown(), attempt,
                    lastFailure, what);
            done();
        }
    }

    private void done() {
        if (pending.decrementAndGet() == 0) {
            overflowReported = false;
        }
        synchronized (pending) {
            pending.notifyAll();
        }
    }

    /**
     * Waits until no message waits for delivery, or {@code timeout} passes.
     *
     * @return whether none waits
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (pending) {
            while (pending.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                pending.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    /** The webhook as logs show it: scheme and host only (the path may hold a secret). */
    String shown() {
        return url.getScheme() + "://" + url.getRawAuthority();
    }
}
