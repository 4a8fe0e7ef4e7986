package dev.lamplighter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A schedule's {@code params} (a JSON object), with typed getters whose errors name the field, the
 * value found and what is allowed. Immutable.
 */
public final class Params {

    /** The most characters of a value that an error message shows. */
    public static final int SHOWN_LIMIT = 200;

    private static final Params EMPTY = new Params(Map.of());

    private final Map<String, Object> values;

    private Params(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Params of(Map<String, ?> values) {
        return values == null || values.isEmpty() ? EMPTY : new Params(new LinkedHashMap<>(values));
    }

    public static Params empty() {
        return EMPTY;
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public boolean has(String name) {
        return values.get(name) != null;
    }

    public Set<String> names() {
        return values.keySet();
    }

    /** A text value, if present. */
    public Optional<String> string(String name) {
        Object value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String)) {
            throw invalid(name, value, "a JSON string");
        }
        return Optional.of((String) value);
    }

    /** A required, non-blank text value. */
    public String requireString(String name) {
        String value = string(name).orElseThrow(() -> missing(name, "a non-blank JSON string"));
        if (value.isBlank()) {
            throw invalid(name, value, "a non-blank JSON string");
        }
        return value;
    }

    /** A whole number within [min, max], or the default when absent. */
    public long longValue(String name, long defaultValue, long min, long max) {
        Object value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        String allowed = "a whole number from " + min + " to " + max;
        if (!(value instanceof Number) || value instanceof Double || value instanceof Float) {
            throw invalid(name, value, allowed);
        }
        long result;
        try {
            // Exact: a JSON integer beyond 64 bits (a BigInteger) must not wrap around to a small one.
            result = new java.math.BigDecimal(value.toString()).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw invalid(name, value, allowed);
        }
        if (result < min || result > max) {
            throw invalid(name, value, allowed);
        }
        return result;
    }

    /** A number within [min, max], or the default when absent. */
    public double doubleValue(String name, double defaultValue, double min, double max) {
        Object value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        String allowed = "a number from " + min + " to " + max;
        if (!(value instanceof Number)) {
            throw invalid(name, value, allowed);
        }
        double result = ((Number) value).doubleValue();
        if (Double.isNaN(result) || Double.isInfinite(result) || result < min || result > max) {
            throw invalid(name, value, allowed);
        }
        return result;
    }

    /** A boolean, or the default when absent. */
    public boolean booleanValue(String name, boolean defaultValue) {
        Object value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof Boolean)) {
            throw invalid(name, value, "true or false");
        }
        return (Boolean) value;
    }

    /**
     * An error for a field that holds a value the launcher does not accept. A value longer than
     * {@value #SHOWN_LIMIT} characters is cut, with its length.
     */
    public static InvalidParamsException invalid(String name, Object value, String allowed) {
        String text = String.valueOf(value);
        if (text.length() > SHOWN_LIMIT) {
            text = text.substring(0, SHOWN_LIMIT) + "... (" + text.length() + " chars)";
        }
        String shown = value instanceof String ? "\"" + text + "\"" : text;
        return new InvalidParamsException("params." + name + " = " + shown + " is not allowed: expected " + allowed);
    }

    /** An error for a required field that is absent. */
    public static InvalidParamsException missing(String name, String allowed) {
        return new InvalidParamsException("params." + name + " is missing: expected " + allowed);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
