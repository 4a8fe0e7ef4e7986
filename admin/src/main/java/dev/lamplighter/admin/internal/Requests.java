package dev.lamplighter.admin.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a request may carry, checked before anything touches the database: path parameters,
 * query parameters, the actor header and the optional JSON body. Each refusal is a 400 that names
 * the field, the value and what is allowed. Not API.
 */
final class Requests {

    /** As the schema's CHECK on scheduled_jobs.name (V1). */
    static final Pattern SCHEDULE_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$");
    static final String SCHEDULE_NAME_ALLOWED = "a schedule name: a letter or digit, then up to 127 of letters, digits, _ . : -";
    static final Pattern ACTOR = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.@:+-]{0,63}$");
    static final String ACTOR_ALLOWED = "a letter or digit, then up to 63 of letters, digits, _ . @ : + - (e.g. alice@example.com)";
    static final String ACTOR_HEADER = "X-Actor";
    /** Largest request body, in bytes. */
    static final int MAX_BODY_BYTES = 4096;
    /** Longest reason in a body, in characters. */
    static final int MAX_REASON = 500;

    private Requests() {
    }

    /** The {name} path parameter, checked against the schema's rule for names. */
    static String scheduleName(Context ctx) {
        String name = ctx.pathParam("name");
        if (!SCHEDULE_NAME.matcher(name).matches()) {
            throw ApiException.badRequest("name", name, SCHEDULE_NAME_ALLOWED);
        }
        return name;
    }

    /** The {id} path parameter: a job id. */
    static long jobId(Context ctx) {
        return positiveLong("id", ctx.pathParam("id"), "a job id: a whole number from 1 to " + Long.MAX_VALUE);
    }

    static long positiveLong(String field, String text, String allowed) {
        if (text == null || !text.matches("[0-9]{1,19}")) {
            throw ApiException.badRequest(field, text, allowed);
        }
        try {
            long v = Long.parseLong(text);
            if (v < 1) {
                throw ApiException.badRequest(field, text, allowed);
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(field, text, allowed);
        }
    }

    /** An int query parameter within bounds, or the default when absent. */
    static int intParam(Context ctx, String field, int min, int max, int dflt) {
        String text = single(ctx, field);
        if (text == null) {
            return dflt;
        }
        String allowed = "a whole number from " + min + " to " + max + " (default " + dflt + ")";
        if (!text.matches("-?[0-9]{1,10}")) {
            throw ApiException.badRequest(field, text, allowed);
        }
        long v = Long.parseLong(text);
        if (v < min || v > max) {
            throw ApiException.badRequest(field, text, allowed);
        }
        return (int) v;
    }

    /** A query parameter given at most once; null when absent. */
    static String single(Context ctx, String field) {
        var values = ctx.queryParams(field);
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.badRequest(field, String.join(",", values), "the parameter once");
        }
        return values.get(0);
    }

    /** Refuses query parameters that the endpoint does not know (a typo would otherwise filter nothing). */
    static void onlyParams(Context ctx, Set<String> allowed) {
        for (String name : ctx.queryParamMap().keySet()) {
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("query parameter " + name, ctx.queryParam(name),
                        allowed.isEmpty() ? "no query parameters" : "one of " + new TreeSet<>(allowed));
            }
        }
    }

    /** Who asks for a change, from where and why: the audit's caller of a JSON API request. */
    static Audit.Caller caller(Context ctx) {
        return new Audit.Caller(actor(ctx), ctx.ip(), reason(ctx).orElse(null), TokenCheck.kind(ctx).label);
    }

    /** Who acts: the X-Actor header, or 'token' when it is absent. */
    static String actor(Context ctx) {
        String actor = ctx.header(ACTOR_HEADER);
        if (actor == null || actor.isEmpty()) {
            return "token";
        }
        if (!ACTOR.matcher(actor).matches()) {
            throw ApiException.badRequest(ACTOR_HEADER, actor, ACTOR_ALLOWED);
        }
        return actor;
    }

    /**
     * The optional body of a change: empty, or a JSON object with at most a "reason" (text of up
     * to {@value #MAX_REASON} characters), {@value #MAX_BODY_BYTES} bytes at most.
     */
    static Optional<String> reason(Context ctx) {
        int declared = ctx.contentLength();
        if (declared > MAX_BODY_BYTES) {
            throw ApiException.badRequest("body", declared + " bytes", "at most " + MAX_BODY_BYTES + " bytes");
        }
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length > MAX_BODY_BYTES) {
            throw ApiException.badRequest("body", bytes.length + " bytes", "at most " + MAX_BODY_BYTES + " bytes");
        }
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String allowed = "empty, or a JSON object such as {\"reason\": \"...\"}";
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body", abbreviate(text), allowed);
        }
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body", abbreviate(text), allowed);
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!field.equals("reason")) {
                throw ApiException.badRequest("body." + field, abbreviate(body.get(field).toString()), "only \"reason\"");
            }
        }
        JsonNode reason = body.get("reason");
        if (reason == null || reason.isNull()) {
            return Optional.empty();
        }
        String reasonAllowed = "text of 1 to " + MAX_REASON + " characters";
        if (!reason.isTextual() || reason.asText().isBlank()) {
            throw ApiException.badRequest("body.reason", abbreviate(reason.toString()), reasonAllowed);
        }
        if (reason.asText().length() > MAX_REASON) {
            throw ApiException.badRequest("body.reason", reason.asText().length() + " characters", reasonAllowed);
        }
        return Optional.of(reason.asText());
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
