package dev.lamplighter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A launcher's answer: launch a job (with a payload) or skip, each with a human reason, and the
 * figures the decision looked at (counter values, ratios, thresholds), which the decision log
 * keeps so that a {@code SELECT} explains every launch and every skip.
 *
 * <p>Immutable. {@link #withFigure} returns a new decision.
 */
public final class Decision {

    private final boolean launch;
    private final String reason;
    private final Map<String, Object> payload;
    private final Map<String, Object> figures;
    private final Map<String, Long> consumes;

    private Decision(boolean launch, String reason, Map<String, Object> payload,
                     Map<String, Object> figures) {
        this(launch, reason, payload, figures, Map.of());
    }

    private Decision(boolean launch, String reason, Map<String, Object> payload,
                     Map<String, Object> figures, Map<String, Long> consumes) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason: a decision needs a non-blank reason");
        }
        this.launch = launch;
        this.reason = reason;
        this.payload = Collections.unmodifiableMap(new LinkedHashMap<>(payload));
        this.figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        this.consumes = Collections.unmodifiableMap(new LinkedHashMap<>(consumes));
    }

    /**
     * Enqueue one job with this payload.
     *
     * @param payload the job's payload, stored as a JSON object in {@code jobs.payload}; may be empty
     * @param reason  why the job is launched, in words; not blank
     * @return a launch decision
     * @throws IllegalArgumentException if {@code reason} is null or blank
     */
    public static Decision launch(Map<String, ?> payload, String reason) {
        return new Decision(true, reason, copy(payload, "payload"), Map.of());
    }

    /**
     * Enqueue one job with an empty payload.
     *
     * @param reason why the job is launched, in words; not blank
     * @return a launch decision
     * @throws IllegalArgumentException if {@code reason} is null or blank
     */
    public static Decision launch(String reason) {
        return launch(Map.of(), reason);
    }

    /**
     * No work is needed now. Not an error: recorded with its reason, resets {@code retry_count}.
     *
     * @param reason why nothing is launched, in words; not blank
     * @return a skip decision
     * @throws IllegalArgumentException if {@code reason} is null or blank
     */
    public static Decision skip(String reason) {
        return new Decision(false, reason, Map.of(), Map.of());
    }

    /**
     * This decision with one more figure it looked at.
     *
     * @param name  the figure's name in {@code decision_log.figures}
     * @param value a number, string or boolean
     * @return a new decision; this one is unchanged
     */
    public Decision withFigure(String name, Object value) {
        Objects.requireNonNull(name, "name");
        Map<String, Object> more = new LinkedHashMap<>(figures);
        more.put(name, value);
        return new Decision(launch, reason, payload, more, consumes);
    }

    /**
     * This decision with more figures it looked at.
     *
     * @param more figures by name (numbers, strings or booleans)
     * @return a new decision; this one is unchanged
     */
    public Decision withFigures(Map<String, ?> more) {
        Map<String, Object> all = new LinkedHashMap<>(figures);
        all.putAll(copy(more, "figures"));
        return new Decision(launch, reason, payload, all, consumes);
    }

    /**
     * This launch with a change counter value its job consumes: when the job completes, the
     * counter's {@code consumed} moves up to {@code value} in the completing transaction; if the job
     * fails for good, nothing is consumed and the work stays pending.
     *
     * @param counter the change counter's name
     * @param value   the counter value the job consumes when it completes
     * @return a new decision; this one is unchanged
     * @throws IllegalStateException if this decision is a skip
     */
    public Decision consuming(String counter, long value) {
        if (!launch) {
            throw new IllegalStateException("consuming(" + counter + ", " + value + "): only a launch consumes counters");
        }
        Map<String, Long> more = new LinkedHashMap<>(consumes);
        more.merge(Objects.requireNonNull(counter, "counter"), value, Math::max);
        return new Decision(launch, reason, payload, figures, more);
    }

    /**
     * This decision with another reason (composition joins the reasons of its parts).
     *
     * @param newReason the reason that replaces this one; not blank
     * @return a new decision; this one is unchanged
     */
    public Decision withReason(String newReason) {
        return new Decision(launch, newReason, payload, figures, consumes);
    }

    /**
     * This launch with more payload entries.
     *
     * @param more entries added to the payload (they replace entries of the same name)
     * @return a new decision; this one is unchanged
     */
    public Decision withPayload(Map<String, ?> more) {
        Map<String, Object> all = new LinkedHashMap<>(payload);
        all.putAll(copy(more, "payload"));
        return new Decision(launch, reason, all, figures, consumes);
    }

    /**
     * {@return the counter values the launched job consumes when it completes, by counter name}
     * See {@link #consuming}.
     */
    public Map<String, Long> consumes() {
        return consumes;
    }

    /** {@return true for a launch, false for a skip} */
    public boolean isLaunch() {
        return launch;
    }

    /** {@return why the schedule launched or skipped, in words} */
    public String reason() {
        return reason;
    }

    /** {@return the job's payload; empty for a skip} */
    public Map<String, Object> payload() {
        return payload;
    }

    /** {@return the figures the decision looked at, by name, as the decision log keeps them} */
    public Map<String, Object> figures() {
        return figures;
    }

    private static Map<String, Object> copy(Map<String, ?> map, String what) {
        Objects.requireNonNull(map, what);
        return new LinkedHashMap<>(map);
    }

    @Override
    public String toString() {
        return (launch ? "launch" : "skip") + "(" + reason + ")" + (figures.isEmpty() ? "" : " " + figures);
    }
}
