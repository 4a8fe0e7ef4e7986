package dev.lamplighter.worker.singleton;

import dev.lamplighter.worker.internal.config.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * How a node holds one singleton: the length of its lease, the backoff between restarts of a
 * service that throws, and how long a stopping service is given to end. Immutable; built with
 * {@link #builder()}, checked in {@link Builder#build()}.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>Setting</th><th>Default</th><th>Bounds</th><th>What it does</th></tr>
 * <tr><td>{@link #lease()}</td><td>30 s</td><td>3 s to 1 h</td><td>How long a holder keeps the
 *     singleton without renewing; renewed (and, while another node holds it, tried) every lease/3.
 *     A node that dies is replaced about one lease after its last renewal; a node that stops
 *     cleanly, at once.</td></tr>
 * <tr><td>{@link #restartBackoff()}</td><td>1 s</td><td>10 ms to 1 h</td><td>Wait before the first
 *     restart of a service that threw; doubled at each consecutive failure.</td></tr>
 * <tr><td>{@link #maxRestartBackoff()}</td><td>1 min</td><td>restartBackoff to 1 h</td><td>The
 *     longest wait between restarts. A run that lasted longer than this (and at least 1 s) resets
 *     the doubling.</td></tr>
 * <tr><td>{@link #stopGrace()}</td><td>10 s</td><td>0 to 10 min</td><td>How long a node that closes
 *     waits for the interrupted service to end before it gives up the lease. A service still
 *     running then keeps the lease until it runs out, so that the next leader does not start beside it.</td></tr>
 * </table>
 */
public final class SingletonOptions {

    /** Default {@link #lease()}: 30 s. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    /** Default {@link #restartBackoff()}: 1 s. */
    public static final Duration DEFAULT_RESTART_BACKOFF = Duration.ofSeconds(1);
    /** Default {@link #maxRestartBackoff()}: 1 min. */
    public static final Duration DEFAULT_MAX_RESTART_BACKOFF = Duration.ofMinutes(1);
    /** Default {@link #stopGrace()}: 10 s. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

    private static final SingletonOptions DEFAULTS = builder().build();

    private final Duration lease;
    private final Duration restartBackoff;
    private final Duration maxRestartBackoff;
    private final Duration stopGrace;

    private SingletonOptions(Builder b) {
        this.lease = b.lease;
        this.restartBackoff = b.restartBackoff;
        this.maxRestartBackoff = b.maxRestartBackoff;
        this.stopGrace = b.stopGrace;
    }

    /**
     * The defaults.
     *
     * @return options with every setting at its default
     */
    public static SingletonOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A builder that starts from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How long a holder keeps the singleton without renewing (by the database's clock).
     *
     * @return the lease, 3 s to 1 h (default 30 s)
     */
    public Duration lease() {
        return lease;
    }

    /**
     * Wait before the first restart of a service that threw; doubled at each consecutive failure.
     *
     * @return the first backoff, 10 ms to 1 h (default 1 s)
     */
    public Duration restartBackoff() {
        return restartBackoff;
    }

    /**
     * The longest wait between restarts.
     *
     * @return the cap of the backoff, restartBackoff to 1 h (default 1 min)
     */
    public Duration maxRestartBackoff() {
        return maxRestartBackoff;
    }

    /**
     * How long a closing node waits for its interrupted service before it gives up the lease.
     *
     * @return the grace, 0 to 10 min (default 10 s)
     */
    public Duration stopGrace() {
        return stopGrace;
    }

    @Override
    public String toString() {
        return "lease=" + Durations.human(lease) + ", restartBackoff=" + Durations.human(restartBackoff) + " to "
                + Durations.human(maxRestartBackoff) + ", stopGrace=" + Durations.human(stopGrace);
    }

    /** Builds {@link SingletonOptions}; every setting starts at its default. Not thread-safe. */
    public static final class Builder {
        private Duration lease = DEFAULT_LEASE;
        private Duration restartBackoff = DEFAULT_RESTART_BACKOFF;
        private Duration maxRestartBackoff = DEFAULT_MAX_RESTART_BACKOFF;
        private Duration stopGrace = DEFAULT_STOP_GRACE;

        private Builder() {
        }

        /**
         * Sets {@link SingletonOptions#lease()}.
         *
         * @param lease 3 s to 1 h
         * @return this builder
         */
        public Builder lease(Duration lease) {
            this.lease = lease;
            return this;
        }

        /**
         * Sets {@link SingletonOptions#restartBackoff()}.
         *
         * @param backoff 10 ms to 1 h
         * @return this builder
         */
        public Builder restartBackoff(Duration backoff) {
            this.restartBackoff = backoff;
            return this;
        }

        /**
         * Sets {@link SingletonOptions#maxRestartBackoff()}.
         *
         * @param max restartBackoff to 1 h
         * @return this builder
         */
        public Builder maxRestartBackoff(Duration max) {
            this.maxRestartBackoff = max;
            return this;
        }

        /**
         * Sets {@link SingletonOptions#stopGrace()}.
         *
         * @param grace 0 to 10 min
         * @return this builder
         */
        public Builder stopGrace(Duration grace) {
            this.stopGrace = grace;
            return this;
        }

        /**
         * The options, checked.
         *
         * @return the options
         * @throws IllegalArgumentException naming the setting, its value and what is allowed
         */
        public SingletonOptions build() {
            within("lease", lease, Duration.ofSeconds(3), Duration.ofHours(1));
            within("restartBackoff", restartBackoff, Duration.ofMillis(10), Duration.ofHours(1));
            within("maxRestartBackoff", maxRestartBackoff, Objects.requireNonNull(restartBackoff), Duration.ofHours(1));
            within("stopGrace", stopGrace, Duration.ZERO, Duration.ofMinutes(10));
            return new SingletonOptions(this);
        }

        private static void within(String setting, Duration value, Duration min, Duration max) {
            if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException("singleton " + setting + " = "
                        + (value == null ? "null" : Durations.human(value)) + " is not allowed: expected from "
                        + Durations.human(min) + " to " + Durations.human(max));
            }
        }
    }
}
