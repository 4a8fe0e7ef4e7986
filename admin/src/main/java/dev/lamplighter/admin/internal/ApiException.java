package dev.lamplighter.admin.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the admin API refuses: its HTTP status and the JSON body that says why. Thrown inside a
 * transaction, it rolls the transaction back, so a refused request writes nothing. Not API.
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, Object> body;

    private ApiException(int status, String error, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.status = status;
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("error", error);
        b.put("message", message);
        b.putAll(details);
        this.body = b;
    }

    /** 400: {@code field} has a value that is not allowed. */
    public static ApiException badRequest(String field, Object value, String allowed) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("field", field);
        d.put("value", value);
        d.put("allowed", allowed);
        return new ApiException(400, "bad_request",
                field + " = " + shown(value) + " is not allowed: expected " + allowed, d);
    }

    /** 404: no {@code what} (schedule, job) with this {@code key}; {@code hint} says what exists. */
    public static ApiException notFound(String what, String field, Object key, String hint) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("field", field);
        d.put("value", key);
        return new ApiException(404, "not_found", "no " + what + " " + shown(key) + (hint == null ? "" : ": " + hint), d);
    }

    /** 409: the target exists but is in a state the action does not apply to. */
    public static ApiException conflict(String message, Map<String, Object> details) {
        return new ApiException(409, "conflict", message, details);
    }

    /** 401: no token, or not the right one. */
    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message, Map.of());
    }

    /** 403: the token is known but lacks {@code permission} (a read token asking for a write). */
    public static ApiException forbidden(String permission, String message) {
        return new ApiException(403, "forbidden", message, Map.of("missing_permission", permission));
    }

    /** 503: the database did not answer. */
    public static ApiException unavailable(String message) {
        return new ApiException(503, "unavailable", message, Map.of());
    }

    static String shown(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The JSON body: error, message, and field, value, allowed where they apply. */
    public Map<String, Object> body() {
        return body;
    }
}
