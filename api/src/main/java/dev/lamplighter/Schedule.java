package dev.lamplighter;

import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A schedule declared in code. At start-up each one is registered idempotently: a missing row is
 * inserted; an existing row is left as the operator has it ({@code enabled}, {@code next_run},
 * cron, params), so a restart never duplicates a schedule or undoes an operator's SQL.
 *
 * <pre>{@code
 * Schedule.builder("epistemic_remeasurement")
 *     .cron("0 * * * *")
 *     .launcher("EpistemicRemeasurementLauncher")
 *     .jobType("epistemic_remeasurement")
 *     .param("threshold", 10)
 *     .build();
 * }</pre>
 *
 * <p>Defaults: time zone {@value #DEFAULT_TIME_ZONE}, {@value #DEFAULT_MAX_RETRIES} launcher
 * retries, {@value #DEFAULT_MAX_ATTEMPTS} attempts per job, priority 0, automation
 * {@code autonomous}, no initial delay, no misfire grace (a late slot is always checked).
 */
public final class Schedule {

    /** The time zone of a schedule that names none: {@value}. */
    public static final String DEFAULT_TIME_ZONE = "UTC";
    /** Consecutive launcher failures before the schedule is disabled, unless set: {@value}. */
    public static final int DEFAULT_MAX_RETRIES = 5;
    /** Attempts per launched job before it is marked failed, unless set: {@value}. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    private final String name;
    private final String cron;
    private final Duration interval;
    private final String timeZone;
    private final String launcherName;
    private final Launcher launcher;
    private final String jobType;
    private final Map<String, Object> params;
    private final Duration initialDelay;
    private final int maxRetries;
    private final int maxAttempts;
    private final int priority;
    private final Automation automation;
    private final boolean enabled;
    private final java.util.SortedSet<String> requires;
    private final Duration misfireGrace;

    private Schedule(Builder b) {
        this.name = b.name;
        this.cron = b.cron;
        this.interval = b.interval;
        this.timeZone = b.timeZone;
        this.launcher = b.launcher;
        this.launcherName = b.launcher != null ? b.launcher.name() : b.launcherName;
        this.jobType = b.jobType;
        this.params = Map.copyOf(b.params);
        this.initialDelay = b.initialDelay;
        this.maxRetries = b.maxRetries;
        this.maxAttempts = b.maxAttempts;
        this.priority = b.priority;
        this.automation = b.automation;
        this.enabled = b.enabled;
        this.requires = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(b.requires));
        this.misfireGrace = b.misfireGrace;
    }

    /**
     * Starts a schedule; {@link Builder#build()} checks every field.
     *
     * @param name the schedule's name, its key in {@code scheduled_jobs}: 1 to 128 letters, digits,
     *     {@code _ . : -}, starting with a letter or digit
     * @return a builder with the defaults above
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** {@return the schedule's name, {@code scheduled_jobs.name}} */
    public String name() { return name; }

    /** {@return the 5-field cron expression, if this schedule is cron-driven} */
    public Optional<String> cron() { return Optional.ofNullable(cron); }

    /** {@return the fixed interval between checks, if this schedule is interval-driven} */
    public Optional<Duration> interval() { return Optional.ofNullable(interval); }

    /** {@return the IANA time zone the cron expression is read in; default {@value #DEFAULT_TIME_ZONE}} */
    public String timeZone() { return timeZone; }

    /** {@return the name of the launcher that checks this schedule} */
    public String launcherName() { return launcherName; }

    /** {@return the launcher instance, when one was given to the builder (it is then registered too)} */
    public Optional<Launcher> launcher() { return Optional.ofNullable(launcher); }

    /** {@return the {@code job_type} of the jobs this schedule launches} */
    public String jobType() { return jobType; }

    /** {@return the launcher's settings, stored as {@code scheduled_jobs.params}; unmodifiable} */
    public Map<String, Object> params() { return params; }

    /** {@return the delay before the first check of a newly registered schedule; default zero} */
    public Duration initialDelay() { return initialDelay; }

    /** {@return consecutive launcher failures before the schedule is disabled; default {@value #DEFAULT_MAX_RETRIES}} */
    public int maxRetries() { return maxRetries; }

    /** {@return attempts per launched job before it is marked failed; default {@value #DEFAULT_MAX_ATTEMPTS}} */
    public int maxAttempts() { return maxAttempts; }

    /** {@return the priority of launched jobs, higher first; default 0} */
    public int priority() { return priority; }

    /** {@return how a launched job starts; default {@link Automation#AUTONOMOUS}} */
    public Automation automation() { return automation; }

    /** {@return whether the schedule starts enabled when first registered; default true} */
    public boolean enabled() { return enabled; }

    /** {@return the capabilities a node needs to check this schedule (e.g. "llm"); empty means any node} */
    public java.util.SortedSet<String> requires() { return requires; }

    /**
     * How late a timetable slot may still be checked (column {@code misfire_grace}); empty means no
     * limit, the default. A slot checked later than this is recorded as missed and skipped.
     *
     * @return the misfire grace, or empty for no limit
     */
    public Optional<Duration> misfireGrace() { return Optional.ofNullable(misfireGrace); }

    /** How a launched job starts: at once, or after an operator approves it. */
    public enum Automation {
        /** Launched jobs are queued at once. */
        AUTONOMOUS,
        /** Human in the loop: launched jobs wait as {@code awaiting_approval}. */
        HITL;

        /** {@return the value stored in {@code scheduled_jobs.automation}: {@code autonomous} or {@code hitl}} */
        public String dbValue() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Builds a {@link Schedule}; {@link #build()} checks every field. */
    public static final class Builder {
        private final String name;
        private String cron;
        private Duration interval;
        private String timeZone = DEFAULT_TIME_ZONE;
        private String launcherName;
        private Launcher launcher;
        private String jobType;
        private final Map<String, Object> params = new LinkedHashMap<>();
        private Duration initialDelay = Duration.ZERO;
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private int priority;
        private Automation automation = Automation.AUTONOMOUS;
        private boolean enabled = true;
        private final java.util.Set<String> requires = new java.util.TreeSet<>();
        private Duration misfireGrace;

        private Builder(String name) {
            this.name = name;
        }

        /**
         * A 5-field UNIX cron expression, evaluated in {@link #timeZone}. Exactly one of this and
         * {@link #every} is required.
         *
         * @param cron minute hour day-of-month month day-of-week, e.g. {@code 0 * * * *}
         * @return this builder
         */
        public Builder cron(String cron) {
            this.cron = cron;
            return this;
        }

        /**
         * A fixed interval between checks, instead of a cron expression.
         *
         * @param interval a positive duration
         * @return this builder
         */
        public Builder every(Duration interval) {
            this.interval = interval;
            return this;
        }

        /**
         * How late a timetable slot may still be checked. When the poll loop reaches a slot later
         * than this (the node was down, the loop was busy), the slot is not checked: the decision
         * log records it as missed ({@code skipped}, with the lateness) and the schedule waits for
         * its next slot. Default: no limit, and missed slots coalesce into one check. Event and
         * manual triggers are never misfires. {@code null} means no limit.
         *
         * @param grace a positive duration, or null for no limit
         * @return this builder
         */
        public Builder misfireGrace(Duration grace) {
            this.misfireGrace = grace;
            return this;
        }

        /**
         * An IANA region id such as {@code Asia/Makassar}; default UTC. Offsets ({@code +03:00},
         * {@code UTC+3}) are not allowed: PostgreSQL reads their signs the other way round.
         *
         * @param zoneId an IANA region id
         * @return this builder
         */
        public Builder timeZone(String zoneId) {
            this.timeZone = zoneId;
            return this;
        }

        /**
         * The launcher, by the name it is registered under. Replaces a launcher instance given before.
         *
         * @param launcherName the launcher's {@link Launcher#name()}
         * @return this builder
         */
        public Builder launcher(String launcherName) {
            this.launcherName = launcherName;
            this.launcher = null;
            return this;
        }

        /**
         * The launcher instance; it is registered along with the schedule. Replaces a launcher name
         * given before.
         *
         * @param launcher the launcher; not null
         * @return this builder
         */
        public Builder launcher(Launcher launcher) {
            this.launcher = Objects.requireNonNull(launcher, "launcher");
            this.launcherName = null;
            return this;
        }

        /**
         * The job type of the jobs this schedule launches; required.
         *
         * @param jobType the {@code job_type} a {@link JobHandler} runs; not blank
         * @return this builder
         */
        public Builder jobType(String jobType) {
            this.jobType = jobType;
            return this;
        }

        /**
         * One of the launcher's settings, stored in {@code scheduled_jobs.params}.
         *
         * @param key the field's name; not null
         * @param value a JSON value (String, Number, Boolean, List, Map)
         * @return this builder
         */
        public Builder param(String key, Object value) {
            this.params.put(Objects.requireNonNull(key, "key"), value);
            return this;
        }

        /**
         * Several of the launcher's settings at once, added to those given before.
         *
         * @param params field names to JSON values
         * @return this builder
         */
        public Builder params(Map<String, ?> params) {
            this.params.putAll(params);
            return this;
        }

        /**
         * Delay before the first check of a newly registered schedule; default none.
         *
         * @param delay zero or more
         * @return this builder
         */
        public Builder initialDelay(Duration delay) {
            this.initialDelay = delay;
            return this;
        }

        /**
         * Consecutive launcher failures before the schedule is disabled; default 5.
         *
         * @param maxRetries 1 or more
         * @return this builder
         */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /**
         * Attempts per launched job before it is marked failed; default 3.
         *
         * @param maxAttempts 1 or more
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Priority of launched jobs; higher runs first. Default 0.
         *
         * @param priority any int
         * @return this builder
         */
        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        /**
         * How a launched job starts: at once (the default) or after an operator's approval.
         *
         * @param automation not null
         * @return this builder
         */
        public Builder automation(Automation automation) {
            this.automation = Objects.requireNonNull(automation, "automation");
            return this;
        }

        /**
         * Whether the schedule starts enabled when first registered; default true. A registered
         * row keeps the operator's {@code enabled}.
         *
         * @param enabled whether a new row is enabled
         * @return this builder
         */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * Capabilities a node must offer to check this schedule (a dependency such as "llm" or
         * "redis", or a configuration flag). A node without them leaves it due for one that has them.
         *
         * @param capabilities each 1 to 64 letters, digits, {@code _ . : -}
         * @return this builder
         * @throws IllegalArgumentException naming the capability that is not allowed
         */
        public Builder requires(String... capabilities) {
            for (String c : capabilities) {
                if (c == null || !c.matches("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")) {
                    throw new IllegalArgumentException("requires = " + quote(c)
                            + " is not allowed: expected 1 to 64 letters, digits, '_', '.', ':' or '-'");
                }
                requires.add(c);
            }
            return this;
        }

        /**
         * Checks every field and builds the schedule.
         *
         * @return the schedule
         * @throws IllegalArgumentException naming the schedule, the field, the value and what is allowed
         */
        public Schedule build() {
            if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}")) {
                throw new IllegalArgumentException("name = " + quote(name)
                        + " is not allowed: expected 1 to 128 letters, digits, '_', '.', ':' or '-', starting with a letter or digit");
            }
            String where = "schedule '" + name + "': ";
            if ((cron == null) == (interval == null)) {
                throw new IllegalArgumentException(where + "exactly one of cron(...) and every(...) is required");
            }
            if (cron != null && cron.trim().split("\\s+").length != 5) {
                throw new IllegalArgumentException(where + "cron = " + quote(cron)
                        + " is not allowed: expected 5 fields (minute hour day-of-month month day-of-week)");
            }
            if (interval != null && (interval.isNegative() || interval.isZero())) {
                throw new IllegalArgumentException(where + "every = " + interval + " is not allowed: expected a positive duration");
            }
            if (timeZone == null || !ZoneId.getAvailableZoneIds().contains(timeZone)) {
                throw new IllegalArgumentException(where + "timeZone = " + quote(timeZone)
                        + " is not allowed: expected an IANA region id such as UTC or Asia/Makassar"
                        + " (not an offset such as +03:00 or UTC+3)");
            }
            if (misfireGrace != null && (misfireGrace.isNegative() || misfireGrace.isZero())) {
                throw new IllegalArgumentException(where + "misfireGrace = " + misfireGrace
                        + " is not allowed: expected a positive duration, or null for no limit");
            }
            if (launcher == null && (launcherName == null || launcherName.isBlank())) {
                throw new IllegalArgumentException(where + "launcher is required");
            }
            if (jobType == null || jobType.isBlank()) {
                throw new IllegalArgumentException(where + "jobType is required");
            }
            if (initialDelay == null || initialDelay.isNegative()) {
                throw new IllegalArgumentException(where + "initialDelay = " + initialDelay + " is not allowed: expected zero or more");
            }
            if (maxRetries < 1) {
                throw new IllegalArgumentException(where + "maxRetries = " + maxRetries + " is not allowed: expected 1 or more");
            }
            if (maxAttempts < 1) {
                throw new IllegalArgumentException(where + "maxAttempts = " + maxAttempts + " is not allowed: expected 1 or more");
            }
            return new Schedule(this);
        }

        private static String quote(String s) {
            return s == null ? "null" : "\"" + s + "\"";
        }
    }
}
