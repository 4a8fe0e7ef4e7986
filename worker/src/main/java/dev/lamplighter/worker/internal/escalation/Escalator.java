package dev.lamplighter.worker.internal.escalation;

import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.escalation.EscalationConfig;
import dev.lamplighter.worker.events.AttemptEvent;
import dev.lamplighter.worker.events.LamplighterListener;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's escalation: a listener that hears a schedule disabled by this node's tick (and, when
 * asked, a job whose last attempt failed), and hands it to a thread of its own, which reads the
 * row, writes the message ({@link Messages}) and POSTs it ({@link WebhookSender}). The listener's
 * methods only queue work, so the poll loop and the workers never wait for the database read or the
 * receiver. Failed jobs are rate-limited per job type ({@link FailedJobFolder}). Thread-safe.
 */
public final class Escalator implements LamplighterListener {

    private static final Logger log = LoggerFactory.getLogger(Escalator.class);
    private static final String FIND_SCHEDULE = SqlFiles.load("scheduled_jobs/find_for_escalation");
    private static final String FIND_JOB = SqlFiles.load("jobs/find_for_escalation");

    private final Jdbi jdbi;
    private final EscalationConfig config;
    private final String nodeId;
    private final ScheduledThreadPoolExecutor executor;
    private final WebhookSender sender;
    private final FailedJobFolder folder = new FailedJobFolder();
    private final java.util.concurrent.atomic.AtomicInteger reading = new java.util.concurrent.atomic.AtomicInteger();

    /** An escalator of {@code config}, which must have a webhook ({@link EscalationConfig#enabled()}). */
    public Escalator(Jdbi jdbi, EscalationConfig config, String nodeId) {
        this.jdbi = jdbi;
        this.config = config;
        this.nodeId = nodeId;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "lamplighter-escalation-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
        this.sender = new WebhookSender(config, executor);
    }

    @Override
    public void scheduleDisabled(String schedule, String error) {
        later("schedule " + schedule + " disabled", () -> {
            Map<String, Object> row = read(FIND_SCHEDULE, "name", schedule);
            sender.send("schedule " + schedule + " disabled", Messages.scheduleDisabled(schedule, error, row, nodeId));
        });
    }

    @Override
    public void attemptEnded(AttemptEvent event) {
        if (!config.failedJobs()) {
            return;
        }
        if (event.outcome() == AttemptEvent.Outcome.FAILED) {
            failed(event.jobType(), event.jobId());
        } else if (event.outcome() == AttemptEvent.Outcome.TIMED_OUT) {
            // A timeout is retried like any failure unless it was the last attempt: the row says which.
            later("job " + event.jobId() + " timed out", () -> {
                Map<String, Object> row = read(FIND_JOB, "jobId", event.jobId());
                if ("failed".equals(row.get("status"))) {
                    failed(event.jobType(), event.jobId());
                }
            });
        }
    }

    private void failed(String jobType, long jobId) {
        if (folder.failed(jobType, jobId)) {
            later("job " + jobId + " failed", () -> sendJob(jobType, jobId, 1));
            endWindowLater(jobType);
        }
    }

    private void endWindowLater(String jobType) {
        try {
            executor.schedule(() -> {
                Optional<FailedJobFolder.Folded> folded = folder.windowEnded(jobType);
                folded.ifPresent(f -> {
                    sendJob(jobType, f.lastJobId(), f.count());
                    endWindowLater(jobType);
                });
            }, config.failedJobsInterval().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("Escalation: the node stops; the failed-job window of {} is not ended", jobType);
        }
    }

    private void sendJob(String jobType, long jobId, int failures) {
        Map<String, Object> row = read(FIND_JOB, "jobId", jobId);
        sender.send((failures == 1 ? "job " + jobId : failures + " jobs of " + jobType) + " failed",
                Messages.jobFailed(jobType, jobId, failures, config.failedJobsInterval(), row, nodeId));
    }

    /** The row, or an empty map when it cannot be read (the message then says what the event said). */
    private Map<String, Object> read(String sql, String param, Object value) {
        try {
            return jdbi.withHandle(h -> h.createQuery(sql).bind(param, value).mapToMap().findOne()).orElse(Map.of());
        } catch (RuntimeException e) {
            log.warn("Escalation: cannot read the {} = {} row ({}); the message carries what the event said", param,
                    value, e.toString());
            return Map.of();
        }
    }

    private void later(String what, Runnable work) {
        reading.incrementAndGet();
        try {
            executor.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.warn("Escalation of {} failed: {}", what, e.toString());
                } finally {
                    read();
                }
            });
        } catch (RejectedExecutionException e) {
            read();
            log.warn("Escalation of {} not sent: the node is stopping", what);
        }
    }

    private void read() {
        reading.decrementAndGet();
        synchronized (reading) {
            reading.notifyAll();
        }
    }

    /** Logs where messages go; the thread starts with the first message. */
    public void start() {
        log.info("Escalation on node {}: {}", nodeId, config);
    }

    /**
     * Stops: waits up to one webhook timeout for the message being sent, then drops what waits
     * (one WARN line says how many). Safe to call twice, or before start.
     */
    public void stop() {
        if (executor.isShutdown()) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(config.webhookTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        int dropped = sender.pending() + folder.pending();
        if (dropped > 0) {
            log.warn("Escalation on node {}: {} message(s) or folded failure(s) not sent: the node stopped", nodeId, dropped);
        }
    }

    /**
     * Waits until nothing waits to be read or sent (windows of failed jobs may stay open), or
     * {@code timeout} passes; for tests.
     *
     * @return whether nothing waits
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (reading) {
            while (reading.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                reading.wait(Math.max(1, left / 1_000_000));
            }
        }
        return sender.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
}
