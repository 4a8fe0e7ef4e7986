package dev.lamplighter.admin.internal.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamplighter.internal.SqlFiles;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Schedules declared in code versus the rows in the table ({@code sql/cli/drift.sql}): columns an
 * operator changed by SQL (declared and stored value), rows no code declared, schedules a live node
 * declares that have no row, rows no live node declares, rows whose launcher no live node has. The
 * CLI's {@code drift} and the admin API's {@code GET /api/drift} print what {@link #findings}
 * returns. Not API.
 */
public final class Drift {

    private static final String DRIFT = SqlFiles.load("cli/drift");
    /** The columns of a finding, in order. */
    public static final List<String> COLUMNS = List.of("name", "kind", "column", "declared", "stored", "nodes", "meaning");
    /** The columns whose text is JSON (jsonb as the database writes it). */
    public static final List<String> JSON_COLUMNS = List.of("declared", "stored");

    private static final ObjectMapper READER = new ObjectMapper();

    private final Duration liveWithin;
    private final Clock clock;

    /**
     * @param liveWithin a node is live when its heartbeat is this recent
     * @param clock      "now"; null: the database's clock
     */
    public Drift(Duration liveWithin, Clock clock) {
        this.liveWithin = liveWithin;
        this.clock = clock;
    }

    /** Every finding, with {@link #COLUMNS}; declared and stored as the database's jsonb text, null when none. */
    public List<Map<String, Object>> findings(Handle h) {
        Map<String, Object> params = new HashMap<>();
        params.put("now", clock == null ? null : clock.instant());
        params.put("liveMs", liveWithin.toMillis());
        return OpsRows.query(h, DRIFT, params).stream().map(Drift::finding).toList();
    }

    /**
     * The findings as {@code drift --json} and {@code GET /api/drift} write them: declared and stored
     * as JSON values, not text.
     */
    public static List<Map<String, Object>> json(List<Map<String, Object>> findings) {
        return findings.stream().map(f -> {
            Map<String, Object> m = new LinkedHashMap<>(f);
            for (String column : JSON_COLUMNS) {
                m.computeIfPresent(column, (k, v) -> parse((String) v));
            }
            return m;
        }).toList();
    }

    private static Object parse(String text) {
        try {
            return READER.readTree(text);
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    private static Map<String, Object> finding(Map<String, Object> r) {
        Map<String, Object> m = new LinkedHashMap<>();
        String kind = (String) r.get("kind");
        m.put("name", r.get("name"));
        m.put("kind", kind);
        m.put("column", r.get("column_name"));
        m.put("declared", text(r.get("declared_value")));
        m.put("stored", text(r.get("stored_value")));
        m.put("nodes", r.get("nodes") == null ? List.of() : r.get("nodes"));
        m.put("meaning", switch (kind) {
            case "changed" -> "changed by SQL, kept across restarts";
            case "sql_only" -> "written by SQL, no code declared it";
            case "missing" -> "declared on live node(s) " + r.get("nodes") + " but missing in the table (deleted by SQL; "
                    + "a restart of the node inserts it again)";
            case "not_declared" -> "a row no live node declares (its code is gone, or its nodes are down)";
            default -> "no live node has its launcher";
        });
        return m;
    }

    private static String text(Object jsonb) {
        return jsonb == null ? null : jsonb.toString();
    }
}
