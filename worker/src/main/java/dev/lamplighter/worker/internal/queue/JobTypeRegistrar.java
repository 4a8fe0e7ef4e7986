package dev.lamplighter.worker.internal.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lamplighter.internal.SqlFiles;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the concurrency limits declared in code in {@code lamplighter.job_types}, idempotently,
 * as schedules are registered: a new job type is inserted; for an existing row each column
 * ({@code max_running}, {@code exclusive}) follows the code only while it still holds what the code
 * declared last time ({@code job_types.declared}). A column an operator changed by SQL keeps the
 * operator's value across restarts; a row written by SQL is the operator's entirely.
 */
public final class JobTypeRegistrar {

    private static final Logger log = LoggerFactory.getLogger(JobTypeRegistrar.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String INSERT_DECLARED = SqlFiles.load("job_types/insert_declared");
    private static final String FIND_DECLARED = SqlFiles.load("job_types/find_declared");
    private static final String UPDATE_DECLARED = SqlFiles.load("job_types/update_declared");

    private final Jdbi jdbi;

    public JobTypeRegistrar(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void register(Collection<JobTypeLimit> limits) {
        for (JobTypeLimit limit : limits) {
            try (Handle h = jdbi.open()) {
                h.useTransaction(tx -> register(tx, limit));
            }
        }
    }

    private record Row(Integer maxRunning, boolean exclusive, String declared) {
    }

    private void register(Handle h, JobTypeLimit limit) {
        String declared = toJson(limit.maxRunning(), limit.exclusive());
        int inserted = h.createUpdate(INSERT_DECLARED).bind("jobType", limit.jobType())
                .bind("maxRunning", limit.maxRunning()).bind("exclusive", limit.exclusive())
                .bind("declared", declared).execute();
        if (inserted == 1) {
            log.info("Registered the limit of job type '{}': {}", limit.jobType(), describe(limit.maxRunning(), limit.exclusive()));
            return;
        }
        Row current = h.createQuery(FIND_DECLARED).bind("jobType", limit.jobType())
                .map((rs, ctx) -> new Row((Integer) rs.getObject("max_running"), rs.getBoolean("exclusive"),
                        rs.getString("declared")))
                .one();
        // A row written by SQL has no declaration yet: all of it is the operator's.
        boolean adopted = current.declared() == null;
        JsonNode previous = adopted ? null : fromJson(current.declared());
        boolean keepMax = adopted || !Objects.equals(current.maxRunning(), intOrNull(previous.get("max_running")));
        boolean keepExclusive = adopted || current.exclusive() != previous.path("exclusive").asBoolean(false);
        Integer maxRunning = keepMax ? current.maxRunning() : limit.maxRunning();
        boolean exclusive = keepExclusive ? current.exclusive() : limit.exclusive();
        if (!adopted && declared.equals(toJson(intOrNull(previous.get("max_running")), previous.path("exclusive").asBoolean(false)))
                && Objects.equals(maxRunning, current.maxRunning()) && exclusive == current.exclusive()) {
            log.debug("The limit of job type '{}' is registered and unchanged", limit.jobType());
            return;
        }
        h.createUpdate(UPDATE_DECLARED).bind("jobType", limit.jobType()).bind("maxRunning", maxRunning)
                .bind("exclusive", exclusive).bind("declared", declared).execute();
        List<String> kept = new ArrayList<>();
        if (keepMax && !Objects.equals(current.maxRunning(), limit.maxRunning())) {
            kept.add("max_running");
        }
        if (keepExclusive && current.exclusive() != limit.exclusive()) {
            kept.add("exclusive");
        }
        if (kept.isEmpty()) {
            log.info("Job type '{}' follows its limit declared in code: {}", limit.jobType(), describe(maxRunning, exclusive));
        } else {
            log.info("Job type '{}' keeps the operator's values for {} (changed by SQL; code declares {}): {}",
                    limit.jobType(), kept, describe(limit.maxRunning(), limit.exclusive()), describe(maxRunning, exclusive));
        }
    }

    private static String describe(Integer maxRunning, boolean exclusive) {
        return exclusive ? "exclusive (at most 1 running)" : maxRunning == null ? "no limit" : "max_running=" + maxRunning;
    }

    private static Integer intOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asInt();
    }

    private static String toJson(Integer maxRunning, boolean exclusive) {
        ObjectNode node = JSON.createObjectNode();
        node.put("exclusive", exclusive);
        node.put("max_running", maxRunning);
        return node.toString();
    }

    private static JsonNode fromJson(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("lamplighter.job_types.declared is not JSON: " + json, e);
        }
    }
}
