package dev.lamplighter.worker.internal.poll;

import dev.lamplighter.internal.SqlFiles;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the checks of one chunk decided, collected while they run and written at the end of the
 * chunk's transaction in three statements: the launched jobs ({@code jobs/insert_launches.sql},
 * one {@code INSERT ... SELECT FROM unnest}, dedup key {@code <schedule>@<slot>}), the schedule
 * rows ({@code record_checks.sql}, one {@code UPDATE ... FROM unnest}) and the decision log
 * ({@code decision_log/insert_many.sql}). A launch whose dedup key is already taken is recorded as
 * a skip ("slot ... was already launched"), as a check on its own records it. A check that fails
 * after its outcome was added removes it again ({@link #truncate}) before its failure is added.
 * Not thread-safe: one chunk, one thread.
 */
final class ChunkRecords {

    private static final String RECORD_CHECKS = SqlFiles.load("scheduled_jobs/record_checks");
    private static final String INSERT_DECISIONS = SqlFiles.load("decision_log/insert_many");
    private static final String INSERT_LAUNCHES = SqlFiles.load("jobs/insert_launches");
    private static final Logger log = LoggerFactory.getLogger(ScheduleChecker.class);

    /** A launch decided in the chunk, its job inserted with the others at the end. */
    record Launch(DueSchedule row, String status, String payloadJson, String consumesJson, String reason,
                  String figuresJson, Instant nextRun, double ms) {
        String dedupKey() {
            return row.name() + "@" + row.slot();
        }
    }

    /** Where the next check starts; {@link #truncate} goes back to it. */
    record Mark(int entries, int lines, int launches) {
    }

    private record Entry(DueSchedule row, String outcome, String reason, String figures, Long jobId,
                         int retryCount, boolean enabled, Instant nextRun, String error, double ms) {
    }

    private final List<Entry> entries = new ArrayList<>();
    /** Log lines of the chunk's checks, logged once the chunk committed. */
    private final List<Runnable> lines = new ArrayList<>();
    private final List<Launch> launches = new ArrayList<>();

    void add(DueSchedule row, String outcome, String reason, String figuresJson, Long jobId, int retryCount,
             boolean enabled, Instant nextRun, String error, double ms) {
        entries.add(new Entry(row, outcome, reason, figuresJson, jobId, retryCount, enabled, nextRun, error, ms));
    }

    void afterCommit(Runnable line) {
        lines.add(line);
    }

    /** A check decided to launch: its job is inserted, and its outcome added, by {@link #flush}. */
    void launch(Launch launch) {
        launches.add(launch);
    }

    /** Where the next check starts; {@link #truncate} goes back to it. */
    Mark mark() {
        return new Mark(entries.size(), lines.size(), launches.size());
    }

    /** Drops what was added after {@code mark} (a check that failed after recording). */
    void truncate(Mark mark) {
        entries.subList(mark.entries(), entries.size()).clear();
        lines.subList(mark.lines(), lines.size()).clear();
        launches.subList(mark.launches(), launches.size()).clear();
    }

    /** Logs the chunk's lines; call after the commit. */
    void logLines() {
        lines.forEach(Runnable::run);
        lines.clear();
    }

    /**
     * Inserts the chunk's launched jobs, then writes every outcome.
     *
     * @param now the bound "now" of the job's run_at (null: the database's)
     * @return the schedules whose launch found its slot already launched (recorded as skipped)
     */
    Set<String> flush(Handle h, String nodeId, Instant now) {
        Set<String> alreadyLaunched = insertLaunches(h, now);
        if (entries.isEmpty()) {
            return alreadyLaunched;
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
            slots[i] = ChunkChecker.slotText(e.row().slot());
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
        return alreadyLaunched;
    }

    private Set<String> insertLaunches(Handle h, Instant now) {
        if (launches.isEmpty()) {
            return Set.of();
        }
        int n = launches.size();
        String[] jobTypes = new String[n];
        String[] statuses = new String[n];
        String[] payloads = new String[n];
        String[] consumes = new String[n];
        String[] names = new String[n];
        Integer[] priorities = new Integer[n];
        Integer[] maxAttempts = new Integer[n];
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            Launch l = launches.get(i);
            jobTypes[i] = l.row().jobType();
            statuses[i] = l.status();
            payloads[i] = l.payloadJson();
            consumes[i] = l.consumesJson();
            names[i] = l.row().name();
            priorities[i] = l.row().priority();
            maxAttempts[i] = l.row().maxAttempts();
            keys[i] = l.dedupKey();
        }
        Map<String, Long> inserted = new HashMap<>();
        h.createQuery(INSERT_LAUNCHES)
                .bind("jobTypes", jobTypes).bind("statuses", statuses).bind("payloads", payloads)
                .bind("consumes", consumes).bind("scheduleNames", names).bind("priorities", priorities)
                .bind("maxAttempts", maxAttempts).bind("dedupKeys", keys).bind("now", now)
                .map((rs, ctx) -> inserted.put(rs.getString("dedup_key"), rs.getLong("job_id")))
                .list();
        Set<String> alreadyLaunched = new HashSet<>();
        for (Launch l : launches) {
            DueSchedule row = l.row();
            Long jobId = inserted.get(l.dedupKey());
            if (jobId != null) {
                add(row, "launched", l.reason(), l.figuresJson(), jobId, 0, true, l.nextRun(), null, l.ms());
                boolean hitl = "awaiting_approval".equals(l.status());
                lines.add(() -> log.info("Schedule '{}'{} launched job {}{}: {} (next check {})", row.name(),
                        row.sourceNote(), jobId, hitl ? ", awaiting approval" : "", l.reason(), l.nextRun()));
            } else {
                String reason = "slot " + row.slot() + " was already launched";
                add(row, "skipped", reason, l.figuresJson(), null, 0, true, l.nextRun(), null, l.ms());
                lines.add(() -> log.debug("Schedule '{}'{} skipped: {} (next check {})", row.name(), row.sourceNote(),
                        reason, l.nextRun()));
                alreadyLaunched.add(row.name());
            }
        }
        launches.clear();
        return alreadyLaunched;
    }
}
