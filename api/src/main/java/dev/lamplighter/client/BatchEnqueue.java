package dev.lamplighter.client;

import dev.lamplighter.LamplighterException;
import dev.lamplighter.internal.SqlFiles;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Many jobs in one statement: {@code sql/jobs/insert_batch.sql}, every column bound as one array
 * (an {@code INSERT ... SELECT FROM unnest(...)}), so a batch of 10,000 jobs is one round trip.
 * Validates the whole batch before it talks to the database.
 */
final class BatchEnqueue {

    private static final String INSERT_BATCH = SqlFiles.load("jobs/insert_batch");
    private static final String FIND_BY_DEDUP_KEY = SqlFiles.load("jobs/find_by_dedup_key");

    private BatchEnqueue() {
    }

    /**
     * Checks a batch: the list and every request in it are present, and every payload serializes.
     *
     * @return the payloads as JSON, in request order
     * @throws IllegalArgumentException naming the request's index, the value and what is allowed
     */
    static String[] validate(List<JobRequest> requests, Function<JobRequest, String> toJson) {
        if (requests == null) {
            throw new IllegalArgumentException("requests = null is not allowed: expected a list of job requests (may be empty)");
        }
        String[] payloads = new String[requests.size()];
        for (int i = 0; i < payloads.length; i++) {
            JobRequest r = requests.get(i);
            if (r == null) {
                throw new IllegalArgumentException("requests[" + i + "] = null is not allowed: expected a JobRequest");
            }
            try {
                payloads[i] = toJson.apply(r);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("requests[" + i + "] (job type '" + r.jobType() + "'): "
                        + e.getMessage(), e);
            }
        }
        return payloads;
    }

    /**
     * Inserts the batch on {@code c}, inside the caller's transaction.
     *
     * @param now the client's "now" for requests without a run_at; null: the database's now()
     * @return each request's job id, in request order
     */
    static List<Long> insert(Connection c, List<JobRequest> requests, String[] payloads, Instant now)
            throws SQLException {
        int n = requests.size();
        if (n == 0) {
            return List.of();
        }
        String[] types = new String[n];
        String[] sources = new String[n];
        Integer[] priorities = new Integer[n];
        String[] runAts = new String[n];
        Integer[] maxAttempts = new Integer[n];
        String[] dedupKeys = new String[n];
        Long[] timeouts = new Long[n];
        for (int i = 0; i < n; i++) {
            JobRequest r = requests.get(i);
            types[i] = r.jobType();
            sources[i] = r.source().dbValue();
            priorities[i] = r.priority();
            runAts[i] = r.runAt().map(Instant::toString).orElse(null);
            maxAttempts[i] = r.maxAttempts();
            dedupKeys[i] = r.dedupKey().orElse(null);
            timeouts[i] = r.timeout().map(d -> d.toMillis()).orElse(null);
        }
        Long[] ids = new Long[n];
        boolean allInserted = true;
        List<Array> arrays = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(INSERT_BATCH)) {
            ps.setArray(1, array(c, arrays, "text", types));
            ps.setArray(2, array(c, arrays, "text", payloads));
            ps.setArray(3, array(c, arrays, "text", sources));
            ps.setArray(4, array(c, arrays, "int4", priorities));
            ps.setArray(5, array(c, arrays, "text", runAts));
            ps.setArray(6, array(c, arrays, "int4", maxAttempts));
            ps.setArray(7, array(c, arrays, "text", dedupKeys));
            ps.setArray(8, array(c, arrays, "int8", timeouts));
            if (now == null) {
                ps.setNull(9, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                ps.setTimestamp(9, Timestamp.from(now));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(2);
                    ids[rs.getInt(1) - 1] = rs.wasNull() ? null : id;
                    allInserted &= rs.getBoolean(3);
                }
            }
        } finally {
            for (Array a : arrays) {
                a.free();
            }
        }
        for (int i = 0; i < n; i++) {
            if (ids[i] == null || (!allInserted && dedupKeys[i] != null)) {
                ids[i] = takenMeanwhile(c, dedupKeys[i]);
            }
        }
        return Collections.unmodifiableList(Arrays.asList(ids));
    }

    /**
     * A key that a transaction committed after the batch's statement began may have been taken
     * from under the batch: read it again, now that the statement's own rows are visible too.
     */
    private static long takenMeanwhile(Connection c, String dedupKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FIND_BY_DEDUP_KEY)) {
            ps.setString(1, dedupKey);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new LamplighterException("Job with dedup key '" + dedupKey
                            + "' conflicted on insert but is not visible; retry the enqueue");
                }
                return rs.getLong(1);
            }
        }
    }

    private static Array array(Connection c, List<Array> arrays, String type, Object[] values) throws SQLException {
        Array a = c.createArrayOf(type, values);
        arrays.add(a);
        return a;
    }
}
