package dev.lamplighter.worker.internal.poll;

import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.internal.schedule.Shown;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cheap, bounded pass over due schedules this node cannot check: their launcher is not
 * registered here, or they require a capability this node lacks. They stay due for a node that can
 * check them, so the poll loop leaves them out of its due list (else, however many they are, they
 * would fill every batch); this pass says why, once per node and schedule: in {@code last_error},
 * in the decision log for a missing capability, and in one log line.
 *
 * <p>Thread-safe; called by the tick that holds the tick lock.
 */
final class UncheckableReporter {

    private static final Logger log = LoggerFactory.getLogger(ScheduleChecker.class);

    /** The most rows one tick reports. */
    static final int LIMIT = 100;

    private static final String MARK_ORIGIN = SqlFiles.load("scheduler/mark_origin");
    private static final String LIST_UNCHECKABLE = SqlFiles.load("scheduled_jobs/list_uncheckable");
    private static final String REPORT = SqlFiles.load("scheduled_jobs/report_unknown_launcher");

    private final Jdbi jdbi;
    private final Set<String> launchers;
    private final PollerSettings settings;
    private final CheckRecorder recorder;
    /** Schedules reported by this node; a name appears once however long the row stays due. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    UncheckableReporter(Jdbi jdbi, Set<String> launchers, PollerSettings settings) {
        this.jdbi = jdbi;
        this.launchers = new TreeSet<>(launchers);
        this.settings = settings;
        this.recorder = new CheckRecorder(settings);
    }

    /** @return how many schedules this pass reported */
    int reportOnce(Instant now) {
        try (Handle h = jdbi.open()) {
            return h.inTransaction(tx -> {
                List<Uncheckable> rows = tx.createQuery(LIST_UNCHECKABLE)
                        .bind("now", now)
                        .bind("launchers", launchers.toArray(String[]::new))
                        .bind("capabilities", settings.capabilities().toArray(String[]::new))
                        .bind("reported", reported.toArray(String[]::new))
                        .bind("limit", LIMIT)
                        .map((rs, ctx) -> new Uncheckable(rs.getString("name"), rs.getString("launcher"),
                                java.util.Arrays.asList((String[]) rs.getArray("requires").getArray()), DueSchedule.instant(rs, "slot"),
                                rs.getString("pending_trigger"), DueSchedule.instant(rs, "now")))
                        .list();
                if (!rows.isEmpty()) {
                    // Only before a write: an idle tick saves the round trip.
                    tx.createQuery(MARK_ORIGIN).mapTo(String.class).one();
                }
                for (Uncheckable row : rows) {
                    report(tx, row);
                    reported.add(row.name());
                }
                return rows.size();
            });
        }
    }

    private void report(Handle h, Uncheckable row) {
        if (!launchers.contains(row.launcher())) {
            String error = "launcher = " + Shown.quoted(row.launcher()) + " is not registered on node " + settings.nodeId()
                    + ": expected one of " + launchers + "; the schedule stays due for a node that has it";
            h.createUpdate(REPORT).bind("name", row.name()).bind("error", error).execute();
            log.warn("Schedule '{}': {}", row.name(), error);
            return;
        }
        List<String> missing = row.requires().stream()
                .filter(r -> r == null || !settings.capabilities().contains(r)).toList();
        String error = "requires capabilities " + Shown.escaped(Shown.cut(row.requires().toString())) + ": node " + settings.nodeId() + " lacks " + missing
                + " (it has " + new TreeSet<>(settings.capabilities())
                + "); the schedule stays due for a node that has them";
        int changed = h.createUpdate(REPORT).bind("name", row.name()).bind("error", error).execute();
        log.info("Schedule '{}' not checked on this node: {}", row.name(), error);
        if (changed == 1) {
            recorder.decision(h, row.name(), row.slot(), row.now(), DueSchedule.source(row.pendingTrigger()), "skipped",
                    error, Map.of("requires", row.requires(), "missing", missing), null, 0.0);
        }
    }

    private record Uncheckable(String name, String launcher, List<String> requires, Instant slot,
                               String pendingTrigger, Instant now) {
    }
}
