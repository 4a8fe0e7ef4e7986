package dev.lamplighter.worker.internal.poll;

import dev.lamplighter.Decision;
import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.internal.LoopErrors;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Checks a chunk of due schedules in one transaction, with the guarantees of a check on its own
 * ({@link ScheduleChecker}): the chunk's due rows are taken in one statement ({@code FOR UPDATE SKIP
 * LOCKED}, {@code next_run} still the slot), their active jobs are looked up in one statement, each
 * check runs in its own savepoint, set when the launcher first uses the connection
 * ({@link LazySavepoint}; its failure rolls back only that savepoint and is recorded as that
 * schedule's failure), and the launched jobs and the outcomes are written in three statements
 * ({@link ChunkRecords}) before the chunk commits: the jobs in one insert with the dedup key
 * {@code <schedule>@<slot>} (a key already taken makes that schedule's outcome a skip), then the
 * rows and the decision log.
 *
 * <p>If the chunk's transaction fails outside a savepoint (a launcher that commits, rolls back or
 * closes its connection, a value the batched writes cannot store, a lost connection), the whole
 * chunk is rolled back and its schedules are checked again one by one, each in its own
 * transaction, so that one broken row never costs the others their check.
 */
final class ChunkChecker {

    private static final Logger log = LoggerFactory.getLogger(ScheduleChecker.class);

    private static final String MARK_ORIGIN = SqlFiles.load("scheduler/mark_origin");
    private static final String LOCK_DUE_CHUNK = SqlFiles.load("scheduled_jobs/lock_due_chunk");
    private static final String FIND_ACTIVE_JOBS = SqlFiles.load("scheduled_jobs/find_active_jobs");

    /** From here on a slot's text means the same instant to Java and to PostgreSQL. */
    static final Instant GREGORIAN = Instant.parse("1583-01-01T00:00:00Z");

    /** A due slot as listed by the tick. */
    record Due(String name, Instant slot) {
    }

    private final Jdbi jdbi;
    private final ScheduleChecker checker;
    private final CheckRecorder recorder;
    private final PollerSettings settings;
    private final String[] launcherNames;
    private final String[] capabilities;

    ChunkChecker(Jdbi jdbi, ScheduleChecker checker, String[] launcherNames, PollerSettings settings) {
        this.jdbi = jdbi;
        this.checker = checker;
        this.recorder = new CheckRecorder(settings);
        this.settings = settings;
        this.launcherNames = launcherNames;
        this.capabilities = settings.capabilities().toArray(String[]::new);
    }

    /** Checks {@code due} in chunks; adds to {@code counts}: launched, skipped, failed, not checked. */
    void checkAll(List<Due> due, int[] counts) {
        checkAll(due, counts, null);
    }

    /** As above; {@code lag}, when given, learns how late each committed check's slot was. */
    void checkAll(List<Due> due, int[] counts, TickLag lag) {
        // Slots from before the Gregorian calendar (an operator's '4713-01-01 BC' or '-infinity') do
        // not survive the chunk's text arrays unchanged: such rows are checked one by one, so that
        // they never fail the chunk of the others.
        List<Due> odd = due.stream().filter(d -> d.slot().isBefore(GREGORIAN)).toList();
        if (!odd.isEmpty()) {
            checkOneByOne(odd, counts, lag);
            due = due.stream().filter(d -> !d.slot().isBefore(GREGORIAN)).toList();
        }
        int size = settings.chunkSize();
        for (int from = 0; from < due.size(); from += size) {
            List<Due> chunk = due.subList(from, Math.min(due.size(), from + size));
            if (chunk.size() == 1) {
                checkOneByOne(chunk, counts, lag);
            } else {
                checkChunk(chunk, counts, lag);
            }
        }
    }

    private void checkChunk(List<Due> chunk, int[] counts, TickLag lag) {
        ChunkRecords batch = new ChunkRecords();
        Map<String, CheckOutcome> outcomes;
        // The checks' attempts, told to the listeners once the chunk committed; none without a listener or a lag.
        Map<String, ScheduleChecker.Attempt> attempts = lag != null ? new HashMap<>() : null;
        try (Handle h = jdbi.open()) {
            outcomes = h.inTransaction(tx -> checkIn(tx, chunk, batch, attempts));
        } catch (RuntimeException e) {
            log.debug("Chunk of checks failed", e);
            if (LoopErrors.isDroppedByServer(e)) {
                // Said once the first check on another connection worked; if none does, the
                // database is gone and the poll loop says so, once.
                checkOneByOne(chunk, counts, lag, LoopErrors.describe(e));
                return;
            }
            log.warn("Poll loop on node {}: a chunk of {} checks failed as a whole ({}); checking them one by one",
                    settings.nodeId(), chunk.size(), CheckRecorder.describe(e));
            checkOneByOne(chunk, counts, lag);
            return;
        }
        batch.logLines();
        for (Due d : chunk) {
            count(outcomes.getOrDefault(d.name(), CheckOutcome.TAKEN), counts);
        }
        if (attempts != null) {
            attempts.forEach((name, attempt) -> checker.committed(attempt, outcomes.getOrDefault(name, CheckOutcome.TAKEN),
                    lag));
        }
    }

    private Map<String, CheckOutcome> checkIn(Handle h, List<Due> chunk, ChunkRecords batch,
                                              Map<String, ScheduleChecker.Attempt> attempts) {
        h.createQuery(MARK_ORIGIN).mapTo(String.class).one();
        String[] names = chunk.stream().map(Due::name).toArray(String[]::new);
        String[] slots = chunk.stream().map(d -> slotText(d.slot())).toArray(String[]::new);
        List<DueSchedule> rows = h.createQuery(LOCK_DUE_CHUNK)
                .bind("names", names).bind("slots", slots).bind("now", nowParam())
                .bind("launchers", launcherNames).bind("capabilities", capabilities)
                .map((rs, ctx) -> DueSchedule.map(rs)).list();
        Map<String, CheckOutcome> outcomes = new HashMap<>();
        if (rows.isEmpty()) {
            return outcomes;
        }
        Map<String, Decision> active = activeJobs(h, rows);
        for (DueSchedule row : rows) {
            MDC.put("schedule", row.name());
            try {
                outcomes.put(row.name(), checkRow(h, batch, row, active, attempts));
            } finally {
                MDC.remove("schedule");
            }
        }
        for (String name : batch.flush(h, settings.nodeId(), nowParam())) {
            outcomes.put(name, CheckOutcome.SKIPPED);
        }
        return outcomes;
    }

    private CheckOutcome checkRow(Handle h, ChunkRecords batch, DueSchedule row, Map<String, Decision> active,
                                  Map<String, ScheduleChecker.Attempt> attempts) {
        long started = System.nanoTime();
        ChunkRecords.Mark mark = batch.mark();
        ScheduleChecker.Attempt attempt = new ScheduleChecker.Attempt();
        attempt.row = row;
        if (attempts != null) {
            attempts.put(row.name(), attempt);
        }
        LazySavepoint savepoint = new LazySavepoint(h.getConnection());
        try {
            CheckOutcome outcome = checker.decide(h, batch, savepoint.connection(), null, row, started,
                    attempt,
                    name -> Optional.ofNullable(active.get(name)));
            savepoint.release();
            if (attempt.committedLine != null) {
                batch.afterCommit(attempt.committedLine);
            }
            return outcome;
        } catch (Exception e) {
            batch.truncate(mark);
            // If the transaction cannot go back to the savepoint, this throws: the chunk is rolled
            // back and checked one by one.
            try {
                savepoint.rollback();
            } catch (java.sql.SQLException broken) {
                // The check's own error says why (a lost connection: the server's reason) when it is one.
                Throwable why = LoopErrors.isDroppedByServer(e) ? e : broken;
                ChunkBrokeException chunkBroke = new ChunkBrokeException(row.name(), why);
                if (why != broken) {
                    chunkBroke.addSuppressed(broken);
                }
                throw chunkBroke;
            }
            attempt.failed(e, recorder.fail(h, batch, row, e, ScheduleChecker.elapsedMs(started)));
            return CheckOutcome.FAILED;
        }
    }

    /** A check that its chunk's transaction could not survive. */
    static final class ChunkBrokeException extends dev.lamplighter.LamplighterException {
        private static final long serialVersionUID = 1L;

        ChunkBrokeException(String schedule, Throwable cause) {
            super("the check of schedule '" + schedule + "' ended its chunk's transaction: "
                    + CheckRecorder.describe(cause), cause);
        }
    }

    private static Map<String, Decision> activeJobs(Handle h, List<DueSchedule> rows) {
        Map<String, Decision> active = new HashMap<>();
        h.createQuery(FIND_ACTIVE_JOBS).bind("names", rows.stream().map(DueSchedule::name).toArray(String[]::new))
                .map((rs, ctx) -> {
                    active.put(rs.getString("schedule_name"), ScheduleChecker.stillActive(rs.getLong("job_id"),
                            rs.getString("status")));
                    return null;
                })
                .list();
        return active;
    }

    private void checkOneByOne(List<Due> chunk, int[] counts, TickLag lag) {
        checkOneByOne(chunk, counts, lag, null);
    }

    /** {@code chunkLost}: why the chunk's connection was lost, said once a check on another one worked. */
    private void checkOneByOne(List<Due> chunk, int[] counts, TickLag lag, String chunkLost) {
        for (Due d : chunk) {
            count(checkAlone(d, lag), counts);
            if (chunkLost != null) {
                log.warn("Poll loop on node {}: the connection of a chunk of {} checks was lost ({}); nothing of it was "
                        + "recorded, and they are checked again one by one", settings.nodeId(), chunk.size(), chunkLost);
                chunkLost = null;
            }
        }
    }

    /**
     * One check in its own transaction. A check whose connection was lost (terminated, the server
     * restarting) recorded nothing, and is not the launcher's failure: it is made once more on
     * another connection (one WARN line once that worked). If that one is lost too, the database
     * is gone: this throws, the tick ends, the other schedules stay due, and the poll loop says
     * once that it lost the database.
     */
    private CheckOutcome checkAlone(Due d, TickLag lag) {
        String lost = null;
        while (true) {
            try {
                CheckOutcome outcome = checker.check(d.name(), d.slot(), lag);
                if (lost != null) {
                    log.warn("Schedule '{}': the connection was lost during its check ({}); nothing of it was recorded, "
                            + "and it was checked again on another connection", d.name(), lost);
                }
                return outcome;
            } catch (RuntimeException e) {
                if (LoopErrors.isDroppedByServer(e)) {
                    if (lost != null) {
                        throw e;
                    }
                    lost = LoopErrors.describe(e);
                    continue;
                }
                // Not even a failure could be recorded: one line.
                log.error("Schedule '{}' could not be checked; it stays due: {}", d.name(), CheckRecorder.describe(e));
                log.debug("Schedule '{}' could not be checked", d.name(), e);
                return CheckOutcome.TAKEN;
            }
        }
    }

    private static void count(CheckOutcome outcome, int[] counts) {
        switch (outcome) {
            case LAUNCHED -> counts[0]++;
            case SKIPPED -> counts[1]++;
            case FAILED -> counts[2]++;
            default -> counts[3]++;
        }
    }

    /** A slot as text for a timestamptz[]: {@code -infinity} and {@code infinity} as PostgreSQL writes them. */
    static String slotText(Instant slot) {
        if (slot.isBefore(dev.lamplighter.worker.internal.schedule.Timetable.POSTGRES_MIN)) {
            return "-infinity";
        }
        return slot.isAfter(dev.lamplighter.worker.internal.schedule.Timetable.POSTGRES_MAX) ? "infinity" : slot.toString();
    }

    private Instant nowParam() {
        return settings.clock() == null ? null : settings.clock().instant();
    }
}
