package dev.lamplighter.worker.internal.poll;

import dev.lamplighter.internal.SqlFiles;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * What the checks of one chunk decided, collected while they run and written at the end of the
 * chunk's transaction in two statements: the schedule rows ({@code record_checks.sql}, one
 * {@code UPDATE ... FROM unnest}) and the decision log ({@code decision_log/insert_many.sql}).
 * A check that fails after its outcome was added removes it again ({@link #truncate}) before its
 * failure is added. Not thread-safe: one chunk, one thread.
 */
final class ChunkRecords {

    private static final String RECORD_CHECKS = SqlFiles.load("scheduled_jobs/record_checks");
    private static final String INSERT_DECISIONS = SqlFiles.load("decision_log/insert_many");

    private record Entry(DueSchedule row, String outcome, String reason, String figures, Long jobId,
                         int retryCount, boolean enabled, Instant nextRun, String error, double ms) {
    }

    private final List<Entry> entries = new ArrayList<>();
    /** Log lines of the chunk's checks, logged once the chunk committed. */
    private final List<Runnable> lines = new ArrayList<>();

    void add(DueSchedule row, String outcome, String reason, String figuresJson, Long jobId, int retryCount,
             boolean enabled, Instant nextRun, String error, double ms) {
        entries.add(new Entry(row, outcome, reason, figuresJson, jobId, retryCount, enabled, nextRun, error, ms));
    }

    void afterCommit(Runnable line) {
        lines.add(line);
    }

    /** Where the next check starts; {@link #truncate} goes back to it. */
    long mark() {
        return ((long) entries.size() << 32) | lines.size();
    }

    /** Drops what was added after {@code mark} (a check that failed after recording). */
    void truncate(long mark) {
        entries.subList((int) (mark >>> 32), entries.size()).clear();
        lines.subList((int) mark, lines.size()).clear();
    }

    /** Logs the chunk's lines; call after the commit. */
    void logLines() {
        lines.forEach(Runnable::run);
        lines.clear();
    }

    void flush(Handle h, String nodeId) {
        if (entries.isEmpty()) {
            return;
        }
        int n = entries.size();
        String[] names = new String[n];
        String[] nows = new String[n];
        String[] outcomes = new String[n];
        String[] errors = new String[n];
        String[] retryCounts = new String[n];
        String[] enableds = new String[n];
        String[] nextRuns = new String[n];
        String[] slots = new String[n];
        String[] reasons = new String[n];
        String[] figures = new String[n];
        String[] jobIds = new String[n];
        String[] sources = new String[n];
        String[] durations = new String[n];
        for (int i = 0; i < n; i++) {
            Entry e = entries.get(i);
            names[i] = e.row().name();
            nows[i] = e.row().now().toString();
            outcomes[i] = e.outcome();
            errors[i] = e.error();
            retryCounts[i] = Integer.toString(e.retryCount());
            enableds[i] = Boolean.toString(e.enabled());
            nextRuns[i] = e.nextRun() == null ? null : e.nextRun().toString();
            slots[i] = e.row().slot().toString();
            reasons[i] = e.reason();
            figures[i] = e.figures();
            jobIds[i] = e.jobId() == null ? null : e.jobId().toString();
            sources[i] = e.row().triggerSource().dbValue();
            durations[i] = Double.toString(e.ms());
        }
        h.createUpdate(RECORD_CHECKS)
                .bind("names", names).bind("nows", nows).bind("outcomes", outcomes).bind("errors", errors)
                .bind("retryCounts", retryCounts).bind("enableds", enableds).bind("nextRuns", nextRuns)
                .execute();
        h.createUpdate(INSERT_DECISIONS)
                .bind("names", names).bind("slots", slots).bind("decidedAts", nows).bind("outcomes", outcomes)
                .bind("reasons", reasons).bind("figures", figures).bind("jobIds", jobIds)
                .bind("triggerSources", sources).bind("durationMs", durations).bind("nodeId", nodeId)
                .execute();
        entries.clear();
    }
}
