package dev.lamplighter.worker.internal.poll;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lamplighter.Schedule;
import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.internal.schedule.Timetable;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers schedules declared in code, idempotently. A new name is inserted. For an existing row,
 * each column follows the code only while it still holds what the code declared last time
 * ({@code scheduled_jobs.declared}); a column an operator changed by SQL keeps the operator's
 * value. {@code enabled} and {@code next_run} belong to operators and the poll loop and are never
 * overwritten (a changed timetable may only bring {@code next_run} earlier).
 */
public final class ScheduleRegistrar {

    private static final Logger log = LoggerFactory.getLogger(ScheduleRegistrar.class);
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    private static final String INSERT_DECLARED = SqlFiles.load("scheduled_jobs/insert_declared");
    private static final String FIND_DECLARED = SqlFiles.load("scheduled_jobs/find_declared");
    private static final String UPDATE_DECLARED = SqlFiles.load("scheduled_jobs/update_declared");

    private static final List<String> TIMETABLE_COLUMNS = List.of("schedule_cron", "interval_ms", "time_zone");

    private final Jdbi jdbi;
    private final Clock clock;

    /** @param clock null means the database's clock */
    public ScheduleRegistrar(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public void register(Collection<Schedule> schedules) {
        for (Schedule schedule : schedules) {
            try (Handle h = jdbi.open()) {
                h.useTransaction(tx -> register(tx, schedule));
            }
        }
    }

    private void register(Handle h, Schedule s) {
        // Not an operator's change: the trigger must not mark a moved next_run as a manual trigger.
        h.createQuery("SELECT set_config('lamplighter.origin', 'registrar', true)").mapTo(String.class).one();
        Map<String, Object> declared = declaredColumns(s);
        Instant now = clock != null ? clock.instant()
                : h.createQuery("SELECT now()").mapTo(Timestamp.class).one().toInstant();
        Timetable timetable = Timetable.of(s.cron().orElse(null), s.interval().orElse(null), s.timeZone());
        Instant firstSlot = timetable.firstSlot(now, s.initialDelay());
        int inserted = h.createUpdate(INSERT_DECLARED)
                .bindMap(bindable(declared))
                .bind("name", s.name()).bind("enabled", s.enabled()).bind("nextRun", firstSlot)
                .bind("declared", toJson(declared))
                .execute();
        if (inserted == 1) {
            log.info("Registered schedule '{}' ({}, launcher {}, job type {}), first check at {}", s.name(), timetable,
                    s.launcherName(), s.jobType(), firstSlot);
            return;
        }
        Map<String, Object> current = h.createQuery(FIND_DECLARED).bind("name", s.name())
                .map((rs, ctx) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("launcher", rs.getString("launcher"));
                    row.put("job_type", rs.getString("job_type"));
                    row.put("schedule_cron", rs.getString("schedule_cron"));
                    long ms = rs.getLong("interval_ms");
                    row.put("interval_ms", rs.wasNull() ? null : ms);
                    row.put("time_zone", rs.getString("time_zone"));
                    row.put("params", fromJson(rs.getString("params")));
                    row.put("automation", rs.getString("automation"));
                    row.put("priority", rs.getInt("priority"));
                    row.put("max_attempts", rs.getInt("max_attempts"));
                    row.put("max_retries", rs.getInt("max_retries"));
                    row.put("requires", java.util.List.of((String[]) rs.getArray("requires").getArray()));
                    long grace = rs.getLong("misfire_grace_ms");
                    row.put("misfire_grace_ms", rs.wasNull() ? null : grace);
                    row.put("_declared", rs.getString("declared"));
                    row.put("_next_run", rs.getTimestamp("next_run").toInstant());
                    return row;
                }).one();
        String previousJson = (String) current.remove("_declared");
        Instant nextRun = (Instant) current.remove("_next_run");
        // A row written by SQL has no declaration yet: all of it is the operator's.
        boolean adopted = previousJson == null;
        Map<String, Object> previous = adopted ? Map.of() : normalise(fromJson(previousJson));
        Map<String, Object> merged = new LinkedHashMap<>();
        List<String> followed = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (Map.Entry<String, Object> e : declared.entrySet()) {
            String column = e.getKey();
            Object now0 = current.get(column);
            boolean operatorChanged = adopted || !same(now0, previous.get(column));
            Object value = operatorChanged ? now0 : e.getValue();
            merged.put(column, value);
            if (!same(value, now0)) {
                followed.add(column);
            } else if (operatorChanged && !same(now0, e.getValue())) {
                kept.add(column);
            }
        }
        if (followed.isEmpty() && !adopted && same(previous, declared)) {
            log.debug("Schedule '{}' is registered and unchanged", s.name());
            return;
        }
        Instant mergedNextRun = nextRun;
        if (followed.stream().anyMatch(TIMETABLE_COLUMNS::contains)) {
            Long ms = (Long) merged.get("interval_ms");
            try {
                mergedNextRun = Timetable.of((String) merged.get("schedule_cron"),
                        ms == null ? null : java.time.Duration.ofMillis(ms), (String) merged.get("time_zone"))
                        .firstSlot(now, java.time.Duration.ZERO);
            } catch (dev.lamplighter.worker.internal.schedule.InvalidScheduleException e) {
                // The code's part is valid (Schedule.build checked it); an operator's column is not.
                // Keep next_run: the schedule's check records the error in last_error.
                log.warn("Schedule '{}': the merged timetable cannot be read, next_run stays: {}", s.name(), e.getMessage());
            }
        }
        h.createUpdate(UPDATE_DECLARED)
                .bindMap(bindable(merged))
                .bind("name", s.name()).bind("nextRun", mergedNextRun).bind("declared", toJson(declared))
                .execute();
        if (!followed.isEmpty()) {
            log.info("Schedule '{}' follows its new declaration in code for {}", s.name(), followed);
        }
        if (!kept.isEmpty()) {
            log.info("Schedule '{}' keeps the operator's values for {} (changed by SQL; code declares otherwise)",
                    s.name(), kept);
        }
    }

    private static Map<String, Object> declaredColumns(Schedule s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("launcher", s.launcherName());
        m.put("job_type", s.jobType());
        m.put("schedule_cron", s.cron().map(String::trim).orElse(null));
        m.put("interval_ms", s.interval().map(java.time.Duration::toMillis).orElse(null));
        m.put("time_zone", s.timeZone());
        m.put("params", normaliseParams(s.params()));
        m.put("automation", s.automation().dbValue());
        m.put("priority", s.priority());
        m.put("max_attempts", s.maxAttempts());
        m.put("max_retries", s.maxRetries());
        m.put("requires", List.copyOf(s.requires()));
        m.put("misfire_grace_ms", s.misfireGrace().map(java.time.Duration::toMillis).orElse(null));
        return m;
    }

    private static Map<String, Object> bindable(Map<String, Object> columns) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("launcher", columns.get("launcher"));
        b.put("jobType", columns.get("job_type"));
        b.put("cron", columns.get("schedule_cron"));
        b.put("intervalMs", columns.get("interval_ms"));
        b.put("timeZone", columns.get("time_zone"));
        b.put("params", toJson(columns.get("params")));
        b.put("automation", columns.get("automation"));
        b.put("priority", columns.get("priority"));
        b.put("maxAttempts", columns.get("max_attempts"));
        b.put("maxRetries", columns.get("max_retries"));
        b.put("requires", ((List<?>) columns.get("requires")).toArray(String[]::new));
        b.put("misfireGraceMs", columns.get("misfire_grace_ms"));
        return b;
    }

    /** JSON round trip, so that values compare the same whether they came from code or the database. */
    private static Map<String, Object> normalise(Map<String, Object> map) {
        Map<String, Object> m = new LinkedHashMap<>(map);
        for (String column : List.of("interval_ms", "misfire_grace_ms")) {
            if (m.get(column) instanceof Number n) {
                m.put(column, n.longValue());
            }
        }
        return m;
    }

    private static Object normaliseParams(Map<String, Object> params) {
        return fromJson(toJson(params));
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.longValue() == y.longValue() && x.doubleValue() == y.doubleValue();
        }
        return Objects.equals(a, b);
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("params are not allowed: expected values that serialize to JSON ("
                    + e.getOriginalMessage() + ")", e);
        }
    }

    private static LinkedHashMap<String, Object> fromJson(String json) {
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is not an object: " + json, e);
        }
    }
}
