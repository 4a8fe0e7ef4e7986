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

    /**
     * Params over a copy of {@code values}.
     *
     * @param values field names to JSON values (String, Number, Boolean, List, Map); null means none
     * @return params holding those fields; later changes to {@code values} do not show through
     */
    public static Params of(Map<String, ?> values) {
        return values == null || values.isEmpty() ? EMPTY : new Params(new LinkedHashMap<>(values));
    }

    /**
     * Params with no fields.
     *
     * @return the empty params
     */
    public static Params empty() {
        return EMPTY;
    }

    /**
     * All fields, in the order they were given.
     *
     * @return an unmodifiable map of field names to values
     */
    public Map<String, Object> asMap() {
        return values;
    }

    /**
     * Whether a field is present.
     *
     * @param name the field's name
     * @return true when the field is present with a non-null value (a JSON {@code null} counts as absent)
     */
    public boolean has(String name) {
        return values.get(name) != null;
    }

    /**
     * The names of the fields present.
     *
     * @return an unmodifiable set of field names, in the order they were given
     */
    public Set<String> names() {
        return values.keySet();
    }

    /**
     * A text value, if present.
     *
     * @param name the field's name
     * @return the value, or empty when the field is absent or null
     * @throws InvalidParamsException when the value is not a JSON string
     */
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

    /**
     * A required, non-blank text value.
     *
     * @param name the field's name
     * @return the value
     * @throws InvalidParamsException when the field is absent, not a JSON string, or blank
     */
    public String requireString(String name) {
        String value = string(name).orElseThrow(() -> missing(name, "a non-blank JSON string"));
        if (value.isBlank()) {
            throw invalid(name, value, "a non-blank JSON string");
        }
        return value;
    }

    /**
     * A whole number within [min, max], or the default when absent.
     *
     * @param name the field's name
     * @param defaultValue what an absent (or null) field gives; not checked against the bounds
     * @param min the smallest value allowed
     * @param max the largest value allowed
     * @return the value, or {@code defaultValue}
     * @throws InvalidParamsException when the value is not a whole JSON number (a fraction, a text,
     *     beyond 64 bits) or lies outside [min, max]
     */
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

    /**
     * A number within [min, max], or the default when absent.
     *
     * @param name the field's name
     * @param defaultValue what an absent (or null) field gives; not checked against the bounds
     * @param min the smallest value allowed
     * @param max the largest value allowed
     * @return the value, or {@code defaultValue}
     * @throws InvalidParamsException when the value is not a finite JSON number or lies outside
     *     [min, max]
     */
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

    /**
     * A boolean, or the default when absent.
     *
     * @param name the field's name
     * @param defaultValue what an absent (or null) field gives
     * @return the value, or {@code defaultValue}
     * @throws InvalidParamsException when the value is not a JSON boolean
     */
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
     *
     * @param name the field's name
     * @param value the value found
     * @param allowed what is allowed, completing "expected ..."
     * @return the error, to throw: {@code params.NAME = VALUE is not allowed: expected ALLOWED}
     */
    public static InvalidParamsException invalid(String name, Object value, String allowed) {
        String text = String.valueOf(value);
        if (text.length() > SHOWN_LIMIT) {
            text = text.substring(0, SHOWN_LIMIT) + "... (" + text.length() + " chars)";
        }
        String shown = value instanceof String ? "\"" + text + "\"" : text;
        return new InvalidParamsException("params." + name + " = " + shown + " is not allowed: expected " + allowed);
    }

    /**
     * An error for a required field that is absent.
     *
     * @param name the field's name
     * @param allowed what is allowed, completing "expected ..."
     * @return the error, to throw: {@code params.NAME is missing: expected ALLOWED}
     */
    public static InvalidParamsException missing(String name, String allowed) {
        return new InvalidParamsException("params." + name + " is missing: expected " + allowed);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
